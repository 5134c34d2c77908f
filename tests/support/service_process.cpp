#include "service_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace test_support {

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

ServiceProcess::ServiceProcess(std::string binary, Environment environment)
    : binary_(std::move(binary)), port_(free_port()) {
  char path[] = "/tmp/service-output-XXXXXX";
  const int output_fd = ::mkstemp(path);
  if (output_fd < 0) throw std::runtime_error("cannot create output file");
  output_path_ = path;

  environment.emplace_back("PORT", std::to_string(port_));
  // Later settings override earlier ones and the inherited environment.
  std::map<std::string, std::string> variables;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto equals = entry.find('=');
    if (equals != std::string::npos) variables[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (const auto& [name, value] : environment) variables[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : variables) entries.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(output_fd, 1);
    ::dup2(output_fd, 2);
    char* argv[] = {binary_.data(), nullptr};
    ::execve(binary_.c_str(), argv, envp.data());
    ::_exit(127);
  }
  ::close(output_fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");

  auto client = this->client();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(binary_ + " exited at start:\n" + output());
    }
    auto health = client.send(ticketing::http::Method::get, "/healthz");
    if (health && health->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill_hard();
  throw std::runtime_error(binary_ + " did not become healthy:\n" + output());
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) terminate();
  ::unlink(output_path_.c_str());
}

ticketing::http::Client ServiceProcess::client() const {
  ticketing::http::ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.request_timeout = std::chrono::milliseconds(20000);
  return ticketing::http::Client(options);
}

int ServiceProcess::wait_for_exit(int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 10) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

int ServiceProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const int status = wait_for_exit(10000);
  if (status >= 0) return status;
  kill_hard();
  return -1;
}

void ServiceProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for_exit(10000);
  pid_ = -1;
}

std::string ServiceProcess::output() const {
  std::ifstream file(output_path_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace test_support
