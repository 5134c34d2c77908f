#include "pact_cli.hpp"

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace contracts {
namespace {

// No usage data leaves the machine; logs without colour escapes, readable in test output.
const test_support::Environment kPactSettings{{"PACT_DO_NOT_TRACK", "true"}, {"NO_COLOR", "1"}};

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

}  // namespace

PactStub::PactStub(const std::string& pact_path) : PactStub(pact_path, std::string{}) {}

PactStub::PactStub(const std::string& pact_path, const std::string& state_header)
    : port_(test_support::free_port()),
      process_(
          [&] {
            std::vector<std::string> command{pact_executable(), "stub",   "--file",
                                             pact_path,         "--port", std::to_string(port_)};
            if (!state_header.empty()) {
              command.insert(command.end(), {"--provider-state-header-name", state_header});
            }
            return command;
          }(),
          kPactSettings) {
  process_.wait_until_ready([this] { return test_support::accepts_connections(port_); });
}

Verification verify_provider(const std::string& pact_path, std::string_view provider_name,
                             std::uint16_t provider_port, const std::string& state_change_url,
                             std::chrono::seconds time_limit) {
  test_support::ChildProcess verifier(
      {pact_executable(), "verifier", "--file", pact_path, "--hostname", "127.0.0.1", "--port",
       std::to_string(provider_port), "--provider-name", std::string(provider_name),
       "--state-change-url", state_change_url, "--no-colour"},
      kPactSettings);
  Verification result;
  result.exit_status = verifier.wait_or_kill(time_limit);
  result.output = verifier.output();
  if (result.exit_status < 0) result.output += "\n(killed: still running after the time limit)";
  return result;
}

}  // namespace contracts
