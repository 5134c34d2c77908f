#include "pact_cli.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace contracts {
namespace {

// No usage data leaves the machine; logs without colour escapes, readable in test output.
const test_support::Environment kPactSettings{{"PACT_DO_NOT_TRACK", "true"}, {"NO_COLOR", "1"}};

// The inherited environment with kPactSettings laid over it, as NAME=VALUE entries.
std::vector<std::string> pact_environment() {
  std::map<std::string, std::string> variables;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto equals = entry.find('=');
    if (equals != std::string::npos) variables[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  for (const auto& [name, value] : kPactSettings) variables[name] = value;
  std::vector<std::string> entries;
  for (const auto& [name, value] : variables) entries.push_back(name + "=" + value);
  return entries;
}

// The Pact CLI's native executable. node_modules/.bin/pact is a Node script that runs it with
// spawnSync and does not pass signals on: stopping the script would leave a stub server running.
// npm installs the executable in the one package of this platform, pact-cli-<os>-<arch>.
std::string pact_executable() {
  namespace fs = std::filesystem;
  const fs::path packages(PACT_PACKAGES_DIRECTORY);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(packages, error)) {
    const auto name = entry.path().filename().string();
    const auto executable = entry.path() / "standalone" / "pact";
    if (name.rfind("pact-cli-", 0) == 0 && fs::is_regular_file(executable)) {
      return executable.string();
    }
  }
  throw std::runtime_error("no Pact CLI executable under " + packages.string() +
                           ": run proto-docs/install-tools.sh");
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs `command` to its end with standard output and error in one temporary file.
// posix_spawn, not fork: the test process has server threads running (the provider states).
Verification run_to_end(std::vector<std::string> command, std::chrono::seconds time_limit) {
  char path[] = "/tmp/pact-verifier-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create the verifier's output file");
  ::close(fd);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  auto environment = pact_environment();
  auto envp = pointers_to(environment);
  auto argv = pointers_to(command);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ::unlink(path);
    throw std::runtime_error("cannot start " + command.front());
  }

  Verification result;
  const auto deadline = std::chrono::steady_clock::now() + time_limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.output = read_file(path) + "\n(killed: still running after the time limit)";
      ::unlink(path);
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = read_file(path);
  ::unlink(path);
  return result;
}

}  // namespace

PactStub::PactStub(const std::string& pact_path)
    : port_(test_support::free_port()),
      process_({pact_executable(), "stub", "--file", pact_path, "--port", std::to_string(port_)},
               kPactSettings) {
  process_.wait_until_ready([this] { return test_support::accepts_connections(port_); });
}

Verification verify_provider(const std::string& pact_path, std::string_view provider_name,
                             std::uint16_t provider_port, const std::string& state_change_url,
                             std::chrono::seconds time_limit) {
  return run_to_end(
      {pact_executable(), "verifier", "--file", pact_path, "--hostname", "127.0.0.1", "--port",
       std::to_string(provider_port), "--provider-name", std::string(provider_name),
       "--state-change-url", state_change_url, "--no-colour"},
      time_limit);
}

}  // namespace contracts
