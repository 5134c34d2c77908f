// What the gateway itself guarantees: nothing internal is reachable, the user of a request is
// only ever the token's, and malformed, oversized or wrong-method requests are refused with
// problem+json. Routes the document does not have (internal ones, /metrics, unknown paths and
// methods) and malformed bytes cannot go through Prism (it would answer them itself): they go
// straight to the gateway and are checked by require_problem. Everything else goes through Prism.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"
#include "ticketing/ids.hpp"

namespace e2e {
namespace {

constexpr std::size_t kBodyLimit = 64 * 1024;

// A charge body of exactly `size` bytes: {"amount":1,"pad":"aaa..."} (the pad is an unknown
// field, so the document forbids it even when the size is allowed).
std::string padded_charge(std::size_t size) {
  const std::string head = R"({"amount":1,"pad":")";
  const std::string tail = R"("})";
  return head + std::string(size - head.size() - tail.size(), 'a') + tail;
}

TEST_CASE("Nothing internal is reachable through the gateway", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 2, 1000);
  const auto visitor = new_visitor(api);
  const auto reservation = std::to_string(hold_seat(api, visitor, date, 3));

  const std::vector<std::string> hidden{
      "/internal/v1/users/" + visitor.user_id,
      "/internal/v1/tokens/verify",
      "/internal/v1/reservations/" + reservation,
      "/internal/v1/payments/" + ticketing::RandomIds::uuid_v4() + "/reservation",
      "/metrics",
      "/readyz",
      "/_gateway/verify",
      "/nope",
      "/index.html",  // a 404 is problem+json whatever the extension
      "/assets/nope.js",
      "/api/v1/nope",
      "/api/v2/queue/tokens",
      // Path tricks towards internal routes: dot segments, encoded dots and slashes, "//".
      "/api/v1/users/x/../../../internal/v1/users/" + visitor.user_id,
      "/api/v1/users/%2e%2e/%2e%2e/%2e%2e/metrics",
      "/api/v1/concerts/..%2f..%2f..%2finternal/v1/tokens/verify",
      "/api/v1//users/" + visitor.user_id + "/points",
  };
  for (const auto& target : hidden) {
    INFO("GET " << target);
    require_problem(api.send_to_gateway("GET", target, {}, visitor.bearer()), 404, "NOT_FOUND");
  }

  // Internal writes are refused too, and change nothing: the token still works, the hold is
  // still HELD.
  require_problem(
      api.send_to_gateway("POST", "/internal/v1/tokens/" + visitor.token + "/expire", "{}"), 404,
      "NOT_FOUND");
  require_problem(
      api.send_to_gateway("POST", "/internal/v1/reservations/" + reservation + "/confirm",
                          R"({"paymentId":")" + ticketing::RandomIds::uuid_v4() + R"("})"),
      404, "NOT_FOUND");
  CHECK(seat_status(api, visitor, date, 3) == "HELD");

  // The gateway's own health check is the one non-API route it answers.
  const auto health = api.send_to_gateway("GET", "/healthz");
  require_status(health, 200);
  CHECK(std::string(json_of(health)["status"].GetString()) == "ok");
}

TEST_CASE("A forged X-User-Id is overwritten with the token's user", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 2, 1000);
  const auto owner = new_visitor(api);
  const auto other = new_visitor(api);
  auto as_other = [&](Headers headers) {
    headers.emplace_back("X-User-Id", other.user_id);
    return headers;
  };

  // A hold sent with the owner's token and the other user's id is the owner's.
  const auto held = api.send("POST", "/api/v1/reservations",
                             R"({"date":")" + date + R"(","seatNo":1})", as_other(owner.bearer()));
  require_status(held, 201);
  const auto path =
      "/api/v1/reservations/" + std::to_string(json_of(held)["reservationId"].GetInt64());
  require_status(api.send("GET", path, {}, owner.bearer()), 200);
  require_problem(api.send("GET", path, {}, other.bearer()), 404, "RESERVATION_NOT_FOUND");

  // Paying the owner's hold with the other user's token and the owner's id is refused: the payer
  // is the token's user.
  charge(api, owner.user_id, 1000);
  charge(api, other.user_id, 1000);
  require_problem(payment_api(api).pay(other, json_of(held)["reservationId"].GetInt64(),
                                       {{"X-User-Id", owner.user_id}}),
                  404, "RESERVATION_NOT_FOUND");
  CHECK(balance_of(api, other.user_id) == 1000);

  // The owner releases it even with a forged id.
  require_status(api.send("DELETE", path, {}, as_other(owner.bearer())), 204);

  // A user route serves the user of its path, whatever X-User-Id says.
  const auto points =
      api.send("GET", "/api/v1/users/" + owner.user_id + "/points", {}, as_other({}));
  require_status(points, 200);
  CHECK(std::string(json_of(points)["userId"].GetString()) == owner.user_id);
  // The poll answers for the token, not for X-User-Id.
  const auto poll = api.send("GET", "/api/v1/queue/tokens/me", {}, as_other(owner.bearer()));
  require_status(poll, 200);
  CHECK(std::string(json_of(poll)["userId"].GetString()) == owner.user_id);
}

TEST_CASE("Malformed, oversized and wrong-method requests are refused with problem+json", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto visitor = new_visitor(api);
  const auto charge_path = "/api/v1/users/" + visitor.user_id + "/points/charge";

  // Malformed JSON (Prism would answer it itself, so straight to the gateway): the services'
  // 400 INVALID_REQUEST, behind the token check where there is one.
  const Headers admin{{"X-Admin-Key", kAdminKey}};
  require_problem(api.send_to_gateway("POST", "/api/v1/queue/tokens", "{"), 400, "INVALID_REQUEST");
  require_problem(api.send_to_gateway("POST", charge_path, R"({"amount":1)"), 400,
                  "INVALID_REQUEST");
  require_problem(api.send_to_gateway("POST", "/api/v1/reservations", "not json", visitor.bearer()),
                  400, "INVALID_REQUEST");
  require_problem(
      api.send_to_gateway("POST", "/api/v1/payments", R"({"reservationId":})", visitor.bearer()),
      400, "INVALID_REQUEST");
  require_problem(api.send_to_gateway("POST", "/api/v1/admin/concerts", "[", admin), 400,
                  "INVALID_REQUEST");
  // Well-formed JSON of the wrong shape goes through Prism, which checks the answer.
  require_problem(api.send_violating("POST", charge_path, "[1]"), 400, "INVALID_REQUEST");

  // Bodies: 64 KiB is read (and refused for its unknown field), one byte more is 413.
  require_problem(api.send_violating("POST", charge_path, padded_charge(kBodyLimit)), 400,
                  "INVALID_REQUEST");
  require_problem(api.send_violating("POST", charge_path, padded_charge(kBodyLimit + 1)), 413,
                  "PAYLOAD_TOO_LARGE");
  require_problem(api.send_violating("POST", "/api/v1/queue/tokens", padded_charge(kBodyLimit + 1)),
                  413, "PAYLOAD_TOO_LARGE");

  // Malformed HTTP that nginx parses far enough to answer with its error page: a header line
  // without a colon, a Content-Length that is not a number, HTTP/1.1 without Host.
  for (const std::string request :
       {"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n",
        "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"
        "Connection: close\r\n\r\n",
        "GET /api/v1/queue/tokens/me HTTP/1.1\r\nConnection: close\r\n\r\n"}) {
    INFO(request);
    require_problem(api.send_bytes_to_gateway(request), 400, "INVALID_REQUEST");
  }

  // A wrong method on a route the service has: its 405 with Allow passes through.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"PATCH", "/api/v1/queue/tokens"},
           {"DELETE", "/api/v1/users/" + visitor.user_id + "/points"},
           {"PUT", "/api/v1/concerts/dates"}}) {
    INFO(method << " " << target);
    const auto reply = api.send_to_gateway(method, target, {}, visitor.bearer());
    require_problem(reply, 405, "METHOD_NOT_ALLOWED");
    CHECK(reply.header("Allow").has_value());
  }
  // nginx refuses TRACE itself.
  require_problem(api.send_to_gateway("TRACE", "/api/v1/queue/tokens"), 405, "METHOD_NOT_ALLOWED");
}

// Errors nginx finds while it still reads the request line or the headers come before there is
// a URI; the gateway answers them from internal URIs (a named location cannot be reached then).
TEST_CASE("Request-line and header-size errors are problem+json", "[e2e]") {
  System system;
  const Api& api = system.api;

  SECTION("a request line that is not HTTP") {
    require_problem(api.send_bytes_to_gateway("GARBAGE\r\n\r\n"), 400, "INVALID_REQUEST");
  }
  SECTION("a request target over 8 KiB") {
    require_problem(
        api.send_to_gateway("GET", "/api/v1/users/" + std::string(9000, 'a') + "/points"), 414,
        "URI_TOO_LONG");
  }
  SECTION("a header over 8 KiB") {
    require_problem(api.send_to_gateway("GET", "/api/v1/queue/tokens/me", {},
                                        {{"X-Padding", std::string(9000, 'b')}}),
                    431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
  }
  SECTION("an HTTP version nginx does not speak") {
    require_problem(api.send_bytes_to_gateway("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"), 505,
                    "HTTP_VERSION_NOT_SUPPORTED");
  }
}

TEST_CASE("Request ids are passed on once or minted", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto user = new_visitor(api).user_id;

  const auto echoed = api.send("GET", "/api/v1/users/" + user + "/points", {},
                               {{"X-Request-Id", "e2e-gateway-42"}});
  CHECK(header_count(echoed, "X-Request-Id") == 1);
  CHECK(echoed.header("X-Request-Id") == "e2e-gateway-42");

  // The gateway's own answers carry it too.
  const auto health = api.send_to_gateway("GET", "/healthz", {}, {{"X-Request-Id", "e2e-43"}});
  CHECK(health.header("X-Request-Id") == "e2e-43");

  const auto minted = api.send_to_gateway("GET", "/nope");
  REQUIRE(minted.header("X-Request-Id").has_value());
  CHECK_FALSE(minted.header("X-Request-Id")->empty());

  // An id the services would not accept (over 128 characters) is replaced, not passed on.
  const std::string too_long(200, 'x');
  const auto replaced =
      api.send("GET", "/api/v1/users/" + user + "/points", {}, {{"X-Request-Id", too_long}});
  CHECK(header_count(replaced, "X-Request-Id") == 1);
  CHECK(replaced.header("X-Request-Id") != too_long);
}

}  // namespace
}  // namespace e2e
