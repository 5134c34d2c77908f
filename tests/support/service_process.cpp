#include "service_process.hpp"

#include <optional>
#include <string>

namespace test_support {

namespace {
// The last PORT of `environment`, if it names one.
std::optional<std::uint16_t> requested_port(const Environment& environment) {
  std::optional<std::uint16_t> port;
  for (const auto& [name, value] : environment) {
    if (name == "PORT") port = static_cast<std::uint16_t>(std::stoi(value));
  }
  return port;
}
}  // namespace

ServiceProcess::ServiceProcess(std::string binary, Environment environment)
    : port_(requested_port(environment).value_or(free_port())),
      process_({std::move(binary)}, with_port(std::move(environment), port_)) {
  process_.wait_until_ready([this] { return answers_healthz(port_); });
}

Environment ServiceProcess::with_port(Environment environment, std::uint16_t port) {
  // First, so that a test's own INTERNAL_API_KEY (later in `environment`) wins.
  environment.insert(environment.begin(), {"INTERNAL_API_KEY", kTestInternalKey});
  environment.emplace_back("PORT", std::to_string(port));
  return environment;
}

ticketing::http::Client ServiceProcess::client() const { return loopback_client(port_); }

ticketing::http::ClientOptions loopback_options(std::uint16_t port,
                                                std::chrono::milliseconds request_timeout) {
  ticketing::http::ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.request_timeout = request_timeout;
  options.headers.emplace_back(kInternalKeyHeader, kTestInternalKey);
  return options;
}

ticketing::http::Client loopback_client(std::uint16_t port,
                                        std::chrono::milliseconds request_timeout) {
  return ticketing::http::Client(loopback_options(port, request_timeout));
}

bool answers_healthz(std::uint16_t port) {
  auto health = loopback_client(port, std::chrono::milliseconds(2000))
                    .send(ticketing::http::Method::get, "/healthz");
  return health && health->status == 200;
}

}  // namespace test_support
