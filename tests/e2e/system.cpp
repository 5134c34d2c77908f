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

// The two Prism proxies in front of a gateway (see Api).
struct System::Prisms {
  explicit Prisms(std::uint16_t gateway_port)
      : rejecting(PUBLIC_OPENAPI_DOCUMENT, gateway_port, PrismMode::reject_violations),
        reporting(PUBLIC_OPENAPI_DOCUMENT, gateway_port, PrismMode::report_violations) {
    // Both Node processes start at once; waiting for each in turn costs only the slower one.
    rejecting.wait_until_listening();
    reporting.wait_until_listening();
  }

  PrismProcess rejecting;
  PrismProcess reporting;
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

namespace {

// A system of its own gets its own Prisms; a shared gateway's serve the whole run (Node takes
// seconds to start, more than most test cases take).
template <typename Prisms>
std::shared_ptr<Prisms> prisms_for(bool shared, std::uint16_t gateway_port) {
  if (!shared) return std::make_shared<Prisms>(gateway_port);
  static const auto for_the_run = std::make_shared<Prisms>(gateway_port);
  return for_the_run;
}

}  // namespace

System::System(std::unique_ptr<Processes> own)
    : own_(std::move(own)),
      prisms_(prisms_for<Prisms>(own_ == nullptr, gateway_port())),
      api(prisms_->rejecting.port(), prisms_->reporting.port(), gateway_port(), tenancy()) {}

System::~System() = default;

std::uint16_t System::gateway_port() const {
  return own_ ? own_->gateway.port() : shared_gateway()->port;
}

Tenancy System::tenancy() const {
  if (own_) return {};
  // 50 days per test case (the tests use up to 41) from a base drawn once per run up to 165
  // years ahead, so a second run against the same stack seldom meets a date of the first.
  static const int kRunBase = 400 + static_cast<int>(std::random_device{}() % 60000);
  static std::atomic<int> systems{0};
  return {shared_gateway()->admin_key, kRunBase + 50 * systems++, std::chrono::milliseconds(400)};
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
