#include "hostile_connections.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "support/internal_key.hpp"
#include "support/json.hpp"
#include "support/raw_connection.hpp"

namespace e2e {
namespace {

using std::chrono::milliseconds;
using test_support::IssuedToken;
using test_support::RawConnection;
using Clock = std::chrono::steady_clock;

// How long an ordinary request may take while others misbehave (a debug build, 2 cores).
constexpr milliseconds kPrompt{1000};

// An ordinary request some client sends while others misbehave, and what it must get.
struct Ordinary {
  Target target;
  std::string request;  // whole, keep-alive
  int status;
};

// Sent to the gateway and the services alike, as the gateway and the peers send it (the gateway
// replaces it with its own).
const std::string kInternalKeyLine =
    std::string("X-Internal-Key: ") + test_support::kTestInternalKey + "\r\n";

std::string keep_alive_get(const std::string& target, const std::string& headers = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + kInternalKeyLine + headers + "\r\n";
}

// Reads through the gateway (a token-checked one among them) and straight at each service.
std::vector<Ordinary> ordinary_requests(const HostileSystem& system, const IssuedToken& visitor) {
  const std::string bearer = "Authorization: Bearer " + visitor.token + "\r\n";
  const std::string as_user = "X-User-Id: " + visitor.user_id + "\r\n";
  const std::string points = "/api/v1/users/" + visitor.user_id + "/points";
  const auto services = system.service_targets();
  const auto gateway = system.gateway_target();
  return {
      {gateway, keep_alive_get("/api/v1/concerts/dates", bearer), 200},
      {gateway, keep_alive_get("/api/v1/queue/tokens/me", bearer), 200},
      {gateway, keep_alive_get(points), 200},
      {services[0], keep_alive_get("/api/v1/queue/tokens/me", bearer), 200},
      {services[1], keep_alive_get("/api/v1/concerts/dates", as_user), 200},
      {services[2], keep_alive_get(points), 200},
  };
}

// Each ordinary request is answered, rightly, within `limit`.
void require_served(HostileSystem& system, const std::vector<Ordinary>& ordinary,
                    milliseconds limit = kPrompt) {
  for (const auto& [target, request, status] : ordinary) {
    INFO(target.name << ": " << request.substr(0, request.find('\r')));
    const auto start = Clock::now();
    RawConnection connection(target.port);
    REQUIRE(connection.send(request));
    const auto replies = connection.read_replies(1, limit);
    system.count_tried(1);
    REQUIRE(replies.size() == 1);
    CHECK(replies.front().status == status);
    CHECK(Clock::now() - start < limit);
  }
}

// One pipelined request: what it must get, told apart by the X-Request-Id its answer carries.
struct Pipelined {
  std::string bytes;
  int status;
  std::string id;
};

Pipelined pipelined(const std::string& method, const std::string& target, int status,
                    const std::string& id, const std::string& headers = {},
                    const std::string& body = {}) {
  const std::string length =
      body.empty() ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return {method + " " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id + "\r\n" +
              kInternalKeyLine + headers + length + "\r\n" + body,
          status, id};
}

// Writes all of `requests` at once on one connection; each is answered, in order.
void require_answered_in_order(HostileSystem& system, const Target& target,
                               const std::vector<Pipelined>& requests) {
  std::string all;
  for (const auto& request : requests) all += request.bytes;
  RawConnection connection(target.port);
  REQUIRE(connection.send(all));
  system.count_tried(static_cast<int>(requests.size()));
  const auto replies = connection.read_replies(requests.size(), milliseconds(5000));
  REQUIRE(replies.size() == requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO(target.name << ": pipelined request " << requests[i].id);
    CHECK(replies[i].header("X-Request-Id") == requests[i].id);
    CHECK(replies[i].status == requests[i].status);
  }
}

}  // namespace

// nginx's client_header_timeout and client_body_timeout are left at their 60 s by the template
// (a slow client is dropped after 60 s, without an answer: measured), the services' read
// timeout is 30 s: too long to wait for here, so this checks what must hold meanwhile.
void check_slow_clients_hang_alone(HostileSystem& system, const IssuedToken& visitor) {
  const auto ordinary = ordinary_requests(system, visitor);
  std::vector<RawConnection> slow;
  for (const auto& target : system.all_targets()) {
    for (int i = 0; i < 10; ++i) {
      slow.emplace_back(target.port);
      REQUIRE(slow.back().send(i % 2 == 0
                                   ? "GET /api/v1/queue/tokens/me HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                   : "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: 1000\r\n\r\n{\"a\":\""));
    }
  }
  system.count_tried(static_cast<int>(slow.size()));
  for (int round = 0; round < 10; ++round) {
    for (auto& connection : slow) CHECK(connection.send("a"));
    require_served(system, ordinary);
    std::this_thread::sleep_for(milliseconds(100));
  }
  // Still waiting for the rest of their requests: no answer, or a 408 if one timed out.
  for (auto& connection : slow) {
    for (const auto& reply : connection.read_replies(1, milliseconds(0))) {
      CHECK(reply.status == 408);
    }
  }
  slow.clear();
  require_served(system, ordinary);
}

void check_half_closed_connections(HostileSystem& system, const IssuedToken& visitor) {
  auto whole = ordinary_requests(system, visitor);
  // A write too: a token issued through the gateway and straight at the queue.
  const std::string issue = "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\n" + kInternalKeyLine +
                            "Content-Length: 2\r\n\r\n{}";
  whole.push_back({system.gateway_target(), issue, 201});
  whole.push_back({system.service_targets()[0], issue, 201});
  for (const auto& [target, request, status] : whole) {
    INFO("half-closed after a whole request, " << target.name << ": "
                                               << request.substr(0, request.find('\r')));
    RawConnection connection(target.port);
    REQUIRE(connection.send(request));
    connection.shut_down_writing();
    system.count_tried(1);
    const auto replies = connection.read_replies(1, milliseconds(3000));
    REQUIRE(replies.size() == 1);
    CHECK(replies.front().status == status);
    CHECK(connection.closed_within(milliseconds(2000)));
  }

  const std::vector<std::string> partial{
      "GET /api/v1/queue/tok",
      "GET /api/v1/queue/tokens/me HTTP/1.1\r\nHost: x\r\n",
      "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"a\"",
      "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{x",
  };
  for (const auto& target : system.all_targets()) {
    for (const auto& request : partial) {
      INFO("half-closed after part of a request, " << target.name << ": " << request);
      RawConnection connection(target.port);
      REQUIRE(connection.send(request));
      connection.shut_down_writing();
      system.count_tried(1);
      CHECK(connection.closed_within(milliseconds(2000)));
      for (const auto& reply : connection.read_replies(SIZE_MAX, milliseconds(0))) {
        require_client_error(reply);
      }
    }
  }
  require_served(system, ordinary_requests(system, visitor));
}

void check_pipelined_requests(HostileSystem& system, const IssuedToken& visitor) {
  const std::string bearer = "Authorization: Bearer " + visitor.token + "\r\n";
  const std::string as_user = "X-User-Id: " + visitor.user_id + "\r\n";
  const std::string points = "/api/v1/users/" + visitor.user_id + "/points";
  const std::string close = "Connection: close\r\n";
  const auto services = system.service_targets();

  // Through the gateway to every service; the balance read after the charge sees it.
  require_answered_in_order(
      system, system.gateway_target(),
      {pipelined("GET", "/healthz", 200, "p-1"),
       pipelined("GET", "/api/v1/queue/tokens/me", 200, "p-2", bearer),
       pipelined("GET", "/api/v1/concerts/dates", 200, "p-3", bearer),
       pipelined("POST", points + "/charge", 200, "p-4", {}, R"({"amount":10})"),
       pipelined("GET", "/api/v1/nope", 404, "p-5"),
       pipelined("POST", "/api/v1/queue/tokens", 400, "p-6", {}, "{x"),
       pipelined("GET", points, 200, "p-7", close)});
  require_answered_in_order(
      system, services[0],
      {pipelined("GET", "/healthz", 200, "q-1"),
       pipelined("GET", "/api/v1/queue/tokens/me", 200, "q-2", bearer),
       pipelined("POST", "/api/v1/queue/tokens", 400, "q-3", {}, "{x"),
       pipelined("GET", "/api/v1/nope", 404, "q-4"),
       pipelined("GET", "/internal/v1/users/" + visitor.user_id, 200, "q-5", close)});
  require_answered_in_order(system, services[1],
                            {pipelined("GET", "/api/v1/concerts/dates", 200, "c-1", as_user),
                             pipelined("POST", "/api/v1/reservations", 400, "c-2", as_user, "{x"),
                             pipelined("GET", "/api/v1/reservations/1", 404, "c-3", as_user),
                             pipelined("GET", "/healthz", 200, "c-4", close)});
  require_answered_in_order(
      system, services[2],
      {pipelined("POST", points + "/charge", 200, "m-1", {}, R"({"amount":7})"),
       pipelined("POST", points + "/charge", 400, "m-2", {}, R"({"amount":-7})"),
       pipelined("GET", points, 200, "m-3"), pipelined("GET", "/healthz", 200, "m-4", close)});
  const auto balance =
      test_support::parse_json(test_support::exchange(system.gateway.port(), "GET", points).body);
  CHECK(balance["balance"].GetInt64() == 17);

  // A malformed request in the middle: the one before it answered, it 4xx, none after it.
  for (const auto& target : system.all_targets()) {
    INFO("a malformed pipelined request, " << target.name);
    RawConnection connection(target.port);
    REQUIRE(connection.send(pipelined("GET", "/healthz", 200, "h-1").bytes +
                            "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                            "Content-Length: 2\r\n\r\n" +
                            pipelined("GET", "/healthz", 200, "h-3").bytes));
    system.count_tried(3);
    const auto replies = connection.read_replies(3, milliseconds(3000));
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].status == 200);
    require_client_error(replies[1]);
    CHECK(connection.closed_within(milliseconds(2000)));
  }
}

void check_idle_connections_do_not_block(HostileSystem& system, const IssuedToken& visitor) {
  const auto ordinary = ordinary_requests(system, visitor);
  std::vector<RawConnection> held;
  for (const auto& target : system.all_targets()) {
    const int count = target.port == system.gateway.port() ? 300 : 150;
    for (int i = 0; i < count; ++i) {
      held.emplace_back(target.port);
      if (i % 3 == 1) REQUIRE(held.back().send("GET /api/v1/queue/tokens/me HTT"));
      if (i % 3 == 2) {
        REQUIRE(held.back().send(keep_alive_get("/healthz")));
        REQUIRE(held.back().read_replies(1, milliseconds(3000)).size() == 1);
      }
    }
  }
  system.count_tried(static_cast<int>(held.size()));
  require_served(system, ordinary);
  held.clear();
  require_served(system, ordinary);
}

}  // namespace e2e
