// Hostile HTTP through the real gateway and straight at the services' own HTTP server: request
// smuggling shapes, oversized and garbled requests (hostile_requests.hpp), slow, half-closed,
// pipelined and idle connections (hostile_connections.hpp). Whatever comes in, every answer is
// a 4xx problem+json or the right answer, nothing hidden inside a request reaches a service,
// nothing crashes or hangs, and no service ever answers 5xx (require_unharmed, at the end).
// Three cases, each on its own system: starting one costs more than all its checks.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "hostile_connections.hpp"
#include "hostile_requests.hpp"
#include "hostile_system.hpp"
#include "support/api_checks.hpp"
#include "system.hpp"

namespace e2e {
namespace {

// Where a request hidden in another goes when the services are hit without the gateway: there
// it is a plain pipelined request, so it must not be kSmuggledPath.
constexpr std::string_view kHiddenDirectPath = "/api/v1/hidden-in-another-request";

std::string test_name() { return Catch::getResultCapture().getCurrentTestName(); }

TEST_CASE("hostile HTTP: bytes through the gateway are 4xx problem+json and smuggle nothing",
          "[e2e][hostile][own-system]") {
  require_own_system();
  HostileSystem system;
  const auto visitor = system.visitor();
  auto requests = smuggling_requests("/api/v1/queue/tokens", kSmuggledPath);
  for (auto& request : oversized_requests()) requests.push_back(std::move(request));
  for (auto& request : garbled_requests(visitor.user_id, visitor.token)) {
    requests.push_back(std::move(request));
  }
  for (const auto& request : requests) {
    INFO(request.name);
    const auto exchange = system.send_alone(system.gateway.port(), request.bytes);
    CHECK(exchange.closed);
    REQUIRE_FALSE(exchange.replies.empty());
    if (request.gateway_status != 0)
      CHECK(exchange.replies.front().status == request.gateway_status);
    for (const auto& reply : exchange.replies) require_client_error(reply);
  }

  // After a chunked body's last chunk comes a request of the gateway's own: it routes the
  // hidden internal path nowhere (404), as it would have on its own.
  const auto after_last_chunk = system.send_alone(
      system.gateway.port(),
      "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\n{x\r\n0\r\n\r\nGET " +
          std::string(kSmuggledPath) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  REQUIRE(after_last_chunk.replies.size() == 2);
  test_support::require_problem(after_last_chunk.replies[0], 400, "INVALID_REQUEST");
  test_support::require_problem(after_last_chunk.replies[1], 404, "NOT_FOUND");

  require_unharmed(system, test_name());
}

TEST_CASE("hostile HTTP: bytes straight at the services are 4xx problem+json, never 5xx",
          "[e2e][hostile][own-system]") {
  require_own_system();
  HostileSystem system;
  const auto visitor = system.visitor();
  auto requests = smuggling_requests("/api/v1/queue/tokens", kHiddenDirectPath);
  for (auto& request : oversized_requests()) requests.push_back(std::move(request));
  for (auto& request : garbled_requests(visitor.user_id, visitor.token)) {
    requests.push_back(std::move(request));
  }
  for (const auto& target : system.service_targets()) {
    for (const auto& request : requests) {
      INFO(target.name << ": " << request.name);
      const auto exchange = system.send_alone(target.port, request.bytes);
      CHECK(exchange.closed);
      REQUIRE_FALSE(exchange.replies.empty());
      for (const auto& reply : exchange.replies) require_client_error(reply);
    }
  }
  // Here a hidden request is only pipelined, and served: the access logs that require_unharmed
  // searches for kSmuggledPath do show such requests.
  for (const auto& output : system.service_outputs()) {
    CHECK(output.find(kHiddenDirectPath) != std::string::npos);
  }
  require_unharmed(system, test_name());
}

TEST_CASE("hostile HTTP: slow, half-closed, pipelined and idle connections neither block nor hang",
          "[e2e][hostile][own-system]") {
  require_own_system();
  HostileSystem system;
  const auto visitor = system.visitor();
  check_slow_clients_hang_alone(system, visitor);
  check_half_closed_connections(system, visitor);
  check_pipelined_requests(system, visitor);
  check_idle_connections_do_not_block(system, visitor);
  require_unharmed(system, test_name());
}

}  // namespace
}  // namespace e2e
