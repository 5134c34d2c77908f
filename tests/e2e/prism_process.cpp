#include "prism_process.hpp"

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace e2e {
namespace {

// The pinned Prism of proto-docs/package.json (tests/CMakeLists.txt: TICKETING_NODE_TOOLS).
std::string prism_binary() {
  const std::string path = PRISM_BINARY;
  if (!std::filesystem::exists(path)) {
    throw std::runtime_error(path + " is missing: run proto-docs/install-tools.sh");
  }
  return path;
}

std::vector<std::string> prism_command(const std::string& document, std::uint16_t upstream_port,
                                       PrismMode mode, std::uint16_t port) {
  std::vector<std::string> command{prism_binary(), "proxy", document,
                                   "http://127.0.0.1:" + std::to_string(upstream_port)};
  if (mode == PrismMode::reject_violations) command.emplace_back("--errors");
  for (const char* argument : {"--host", "127.0.0.1", "--port"}) command.emplace_back(argument);
  command.push_back(std::to_string(port));
  return command;
}

}  // namespace

PrismProcess::PrismProcess(const std::string& document, std::uint16_t upstream_port, PrismMode mode)
    : port_(test_support::free_port()),
      // Node's update check and colours are noise in a test log.
      process_(prism_command(document, upstream_port, mode, port_),
               {{"NO_UPDATE_NOTIFIER", "1"}, {"FORCE_COLOR", "0"}}) {}

void PrismProcess::wait_until_listening() {
  process_.wait_until_ready([this] { return test_support::accepts_connections(port_); },
                            std::chrono::seconds(60));
}

}  // namespace e2e
