#include "system.hpp"

#include <atomic>
#include <cstdlib>
#include <random>
#include <regex>
#include <stdexcept>

namespace e2e {

struct System::Processes {
  explicit Processes(const SystemSettings& settings)
      : stack(settings.payment, settings.concert, settings.queue),
        gateway({stack.queue.process->port(), stack.concert.process->port(),
                 stack.payment->process->port(), settings.issue_rate_limit_per_ip}) {}

  test_support::Stack stack;
  test_support::GatewayProcess gateway;
};

std::optional<SharedGateway> shared_gateway() {
  const char* url = std::getenv("E2E_GATEWAY_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  // The tests' raw HTTP reaches 127.0.0.1 only; a published port of this host is what they need.
  static const std::regex kLocalGateway(R"(http://(127\.0\.0\.1|localhost):([0-9]{1,5})/?)");
  std::cmatch match;
  const int port = std::regex_match(url, match, kLocalGateway) ? std::stoi(match[2]) : 0;
  if (port < 1 || port > 65535) {
    throw std::runtime_error(std::string("E2E_GATEWAY_URL must be http://127.0.0.1:PORT, got ") +
                             url);
  }
  const char* admin_key = std::getenv("E2E_ADMIN_API_KEY");
  if (admin_key == nullptr || *admin_key == '\0') {
    throw std::runtime_error("E2E_GATEWAY_URL needs E2E_ADMIN_API_KEY, the gateway's admin key");
  }
  return SharedGateway{static_cast<std::uint16_t>(port), admin_key};
}

void require_own_system() {
  if (shared_gateway()) {
    throw std::runtime_error(
        "this test case needs a system of its own ([own-system]), not the shared gateway of "
        "E2E_GATEWAY_URL: leave it out with the filter ~[own-system]");
  }
}

System::System() : System(shared_gateway() ? nullptr : std::make_unique<Processes>(SystemSettings{})) {}

System::System(const SystemSettings& settings)
    : System((require_own_system(), std::make_unique<Processes>(settings))) {}

System::System(std::unique_ptr<Processes> own)
    : own_(std::move(own)),
      rejecting_prism_(PUBLIC_OPENAPI_DOCUMENT, gateway_port(), PrismMode::reject_violations),
      reporting_prism_(PUBLIC_OPENAPI_DOCUMENT, gateway_port(), PrismMode::report_violations),
      api(rejecting_prism_.port(), reporting_prism_.port(), gateway_port(), tenancy()) {
  // Both Node processes start at once; waiting for each in turn costs only the slower one.
  rejecting_prism_.wait_until_listening();
  reporting_prism_.wait_until_listening();
}

System::~System() = default;

std::uint16_t System::gateway_port() const {
  return own_ ? own_->gateway.port() : shared_gateway()->port;
}

Tenancy System::tenancy() const {
  if (own_) return {};
  // 100 days per test case from a base drawn once per run (at most about 55 years ahead), so a
  // second run against the same stack meets no date of the first.
  static const int kRunBase = 400 + 2000 * static_cast<int>(std::random_device{}() % 10);
  static std::atomic<int> systems{0};
  return {shared_gateway()->admin_key, kRunBase + 100 * systems++};
}

test_support::Stack& System::stack() {
  require_own_system();
  return own_->stack;
}

test_support::GatewayProcess& System::gateway() {
  require_own_system();
  return own_->gateway;
}

}  // namespace e2e
