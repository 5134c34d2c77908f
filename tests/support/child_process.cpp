#include "child_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace test_support {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

// The inherited environment with `overrides` laid over it, as NAME=VALUE entries.
std::vector<std::string> merged_environment(const Environment& overrides) {
  std::map<std::string, std::string> variables;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto equals = entry.find('=');
    if (equals != std::string::npos) variables[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (const auto& [name, value] : overrides) variables[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : variables) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const auto address = loopback(port);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

ChildProcess::ChildProcess(std::vector<std::string> command, const Environment& environment)
    : command_(std::move(command)) {
  if (command_.empty()) throw std::invalid_argument("ChildProcess: empty command");
  char path[] = "/tmp/child-output-XXXXXX";
  const int output_fd = ::mkstemp(path);
  if (output_fd < 0) throw std::runtime_error("cannot create output file");
  output_path_ = path;

  auto entries = merged_environment(environment);
  auto envp = pointers_to(entries);
  auto argv = pointers_to(command_);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
  posix_spawn_file_actions_addclose(&actions, output_fd);
  const int spawned = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(output_fd);
  if (spawned != 0) {
    pid_ = -1;
    ::unlink(output_path_.c_str());
    throw std::runtime_error("cannot start " + name() + ": " + std::strerror(spawned));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) terminate();
  ::unlink(output_path_.c_str());
}

void ChildProcess::wait_until_ready(const std::function<bool()>& ready,
                                    std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) throw std::runtime_error(name() + " exited at start:\n" + output());
    if (ready()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill_hard();
  throw std::runtime_error(name() + " did not become ready:\n" + output());
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int ChildProcess::wait_for_exit(int timeout_ms) {
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

int ChildProcess::wait_or_kill(std::chrono::seconds limit) {
  if (pid_ <= 0) return -1;
  const int status = wait_for_exit(static_cast<int>(std::chrono::milliseconds(limit).count()));
  if (status >= 0) return status;
  kill_hard();
  return -1;
}

int ChildProcess::terminate(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const int status = wait_for_exit(10000);
  if (status >= 0) return status;
  kill_hard();
  return -1;
}

void ChildProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for_exit(10000);
  pid_ = -1;
}

std::string ChildProcess::output() const {
  std::ifstream file(output_path_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace test_support
