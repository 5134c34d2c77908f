// The queue service's HTTP contract (product spec: queue and admin-queue parts, plus the internal
// API other services call), exercised over real HTTP against a real process on a throwaway
// database. Requests go through the queue's typed client (support/queue_client.hpp), one raw
// HTTP/1.1 exchange each, so that response headers (WWW-Authenticate, Allow, X-Problem-Code,
// X-Request-Id) can be asserted and arbitrary bytes sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/api_checks.hpp"
#include "support/hostile_bodies.hpp"
#include "support/json.hpp"
#include "support/queue_checks.hpp"
#include "support/queue_client.hpp"
#include "support/raw_http.hpp"
#include "support/rfc3339.hpp"
#include "support/service_on_database.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::is_json_content_type;
using test_support::repeat;
using test_support::require_bearer_challenge;
using test_support::require_problem;
using test_support::uppercase;

using test_support::exchange_raw;
using test_support::Headers;
using test_support::lowercase;
using test_support::Reply;

constexpr const char* kAdminKey = "test-admin-key";
constexpr std::size_t kBodyLimit = 64 * 1024;

using test_support::LineView;
using test_support::require_line;
using test_support::require_token_state;
using test_support::TokenState;
using Api = test_support::QueueClient;

Api api_of(const test_support::QueueService& service) {
  return Api(test_support::direct_to(service.process->port()));
}

// One service for the tests that do not steer the line (default capacity 100).
const test_support::QueueService& shared_service() {
  static const test_support::QueueService service;
  return service;
}

// Polls the token until it reads ACTIVE or `limit` passes; returns the last state.
TokenState poll_until_active(const Api& api, const std::string& token,
                             std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  TokenState state = require_token_state(api.poll(token), 200);
  while (state.status != "ACTIVE" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
    state = require_token_state(api.poll(token), 200);
  }
  return state;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// POST /api/v1/queue/tokens

TEST_CASE("Issuing a token mints a user and answers an ACTIVE token, asking again returns it",
          "[api]") {
  const auto api = api_of(shared_service());

  const auto before = test_support::now_ms();
  const auto first = require_token_state(api.issue_token("{}"), 201);
  CHECK(first.status == "ACTIVE");
  CHECK(first.position == 0);
  CHECK(first.estimated_wait_seconds == 0);
  REQUIRE(first.expires_at.has_value());
  const auto expires = test_support::rfc3339_ms(*first.expires_at);
  REQUIRE(expires.has_value());
  // QUEUE_TOKEN_TTL_SECONDS defaults to 600: the token works for about ten minutes.
  CHECK(*expires >= before + 600'000 - 5000);
  CHECK(*expires <= test_support::now_ms() + 600'000 + 5000);

  SECTION("an empty body (and a blank one) also mints a new user") {
    const auto empty = require_token_state(api.issue_token(""), 201);
    CHECK(empty.status == "ACTIVE");
    CHECK(empty.user_id != first.user_id);
    CHECK(empty.token != first.token);
    const auto blank = require_token_state(api.issue_token(" \r\n\t "), 201);
    CHECK(blank.user_id != empty.user_id);
  }
  SECTION("a body of exactly 64 KiB is within the limit") {
    std::string body = "{}";
    body.append(kBodyLimit - body.size(), ' ');
    REQUIRE(body.size() == kBodyLimit);
    require_token_state(api.issue_token(body), 201);
  }
  SECTION("the minted user is known to the internal user lookup") {
    const auto user = api.find_user(first.user_id);
    REQUIRE(user.status == 200);
    CHECK(is_json_content_type(user.content_type()));
    const auto json = test_support::parse_json(user.body);
    REQUIRE(json.HasMember("userId"));
    CHECK(std::string(json["userId"].GetString()) == first.user_id);
  }
}

TEST_CASE("Issuing a token for an unknown or malformed userId is refused", "[api]") {
  const auto api = api_of(shared_service());
  const auto minted = require_token_state(api.issue_token(), 201);

  require_problem(api.issue_token_for("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"), 404,
                  "USER_NOT_FOUND");

  for (const std::string& bad :
       {uppercase(minted.user_id), std::string("3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B"),
        std::string("3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b"), std::string("abc"), std::string(""),
        "{" + minted.user_id + "}", minted.user_id + " ", " " + minted.user_id,
        minted.user_id.substr(0, 35), std::string("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6g")}) {
    INFO("userId '" << bad << "'");
    require_problem(api.issue_token_for(bad), 400, "INVALID_USER_ID");
  }
}

TEST_CASE("Issuing a token with a body of wrong types, unknown fields or malformed JSON is 400",
          "[api]") {
  const auto api = api_of(shared_service());
  const auto minted = require_token_state(api.issue_token(), 201);

  const std::vector<std::string> bodies = {
      // wrong types
      R"({"userId":5})", R"({"userId":true})", R"({"userId":{}})", R"({"userId":["x"]})",
      R"({"userId":1.5})", "[]", "[{}]", R"("str")", "42", "true", "null",
      // unknown or repeated fields
      R"({"foo":1})", R"({"userId":")" + minted.user_id + R"(","foo":1})",
      R"({"userId":")" + minted.user_id + R"(","userId":")" + minted.user_id + R"("})",
      // malformed JSON
      "{", R"({"userId":})", R"({"userId":")" + minted.user_id + R"("} x)", "{}{}", "{} []",
      "{'userId':'x'}", R"({"userId":")" + minted.user_id + R"(",})", "{userId:1}", "nul"};
  for (const auto& body : bodies) {
    INFO("body: " << body);
    require_problem(api.issue_token(body), 400, "INVALID_REQUEST");
  }
}

TEST_CASE("Issuing a token with a body over 64 KiB is 413 PAYLOAD_TOO_LARGE", "[api]") {
  const auto api = api_of(shared_service());
  std::string body = "{}";
  body.append(kBodyLimit + 1 - body.size(), ' ');
  require_problem(api.issue_token(body), 413, "PAYLOAD_TOO_LARGE");
  // and much larger, too
  require_problem(api.issue_token(std::string(4 * kBodyLimit, ' ')), 413, "PAYLOAD_TOO_LARGE");
  // and in chunks, without a Content-Length
  std::string chunked =
      "POST /api/v1/queue/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "4000\r\n" + std::string(0x4000, ' ') + "\r\n";
  chunked += "2\r\n{}\r\n0\r\n\r\n";
  require_problem(exchange_raw(shared_service().process->port(), chunked), 413,
                  "PAYLOAD_TOO_LARGE");
  CHECK(api.get("/healthz").status == 200);
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/queue/tokens/me and the internal API

TEST_CASE("Polling a token: the state for a live token, 401 TOKEN_INVALID otherwise", "[api]") {
  const auto api = api_of(shared_service());
  const auto issued = require_token_state(api.issue_token(), 201);

  const auto polled = require_token_state(api.poll(issued.token), 200);
  CHECK(polled.token == issued.token);
  CHECK(polled.user_id == issued.user_id);
  CHECK(polled.status == "ACTIVE");
  CHECK(polled.position == 0);
  CHECK(polled.estimated_wait_seconds == 0);
  CHECK(polled.expires_at == issued.expires_at);

  // The scheme is case-insensitive (RFC 9110).
  const auto lower =
      api.get("/api/v1/queue/tokens/me", {{"Authorization", "bearer " + issued.token}});
  CHECK(require_token_state(lower, 200).token == issued.token);

  const std::string me = "/api/v1/queue/tokens/me";
  require_bearer_challenge(api.get(me), "TOKEN_INVALID");
  for (const std::string& authorization :
       {std::string("Basic x"), std::string("Basic ") + issued.token, std::string("Bearer "),
        std::string("Bearer"), std::string("Bearer nothex"), "Bearer " + uppercase(issued.token),
        "Bearer " + issued.token.substr(0, 31), "Bearer " + issued.token + "0",
        "Bearer " + issued.token + " extra", "Token " + issued.token,
        std::string("Bearer 00000000000000000000000000000000"), issued.token}) {
    INFO("Authorization: " << authorization);
    require_bearer_challenge(api.get(me, {{"Authorization", authorization}}), "TOKEN_INVALID");
  }
}

TEST_CASE("Internal API: verify, expire (idempotent) and what an expired token reads as", "[api]") {
  const auto api = api_of(shared_service());
  const auto issued = require_token_state(api.issue_token(), 201);

  const auto verified = api.verify(issued.token);
  {
    INFO("body: " << verified.body);
    REQUIRE(verified.status == 200);
    CHECK(verified.header("X-User-Id") == issued.user_id);
    CHECK(is_json_content_type(verified.content_type()));
    const auto json = test_support::parse_json(verified.body);
    REQUIRE(json.HasMember("userId"));
    CHECK(std::string(json["userId"].GetString()) == issued.user_id);
  }

  const std::string verify = "/internal/v1/tokens/verify";
  for (const auto& headers :
       {Headers{}, Headers{{"Authorization", "Basic x"}},
        Headers{{"Authorization", "Bearer nothex"}},
        Headers{{"Authorization", "Bearer 00000000000000000000000000000000"}}}) {
    INFO("headers: " << (headers.empty() ? "(none)" : headers[0].second));
    const auto refused = api.get(verify, headers);
    require_problem(refused, 401, "TOKEN_INVALID");
    CHECK(refused.header("X-Problem-Code") == std::string("TOKEN_INVALID"));
  }

  const auto expired = api.expire(issued.token);
  CHECK(expired.status == 204);
  CHECK(expired.body.empty());
  CHECK(api.expire(issued.token).status == 204);  // idempotent

  const auto verify_expired = api.verify(issued.token);
  require_problem(verify_expired, 401, "TOKEN_EXPIRED");
  CHECK(verify_expired.header("X-Problem-Code") == std::string("TOKEN_EXPIRED"));
  require_bearer_challenge(api.poll(issued.token), "TOKEN_EXPIRED");

  // The user's token is no longer live: asking again issues a new one.
  const auto renewed = require_token_state(api.issue_token_for(issued.user_id), 201);
  CHECK(renewed.token != issued.token);
  CHECK(renewed.user_id == issued.user_id);
  CHECK(renewed.status == "ACTIVE");
  CHECK(api.verify(renewed.token).status == 200);

  require_problem(api.expire("00000000000000000000000000000000"), 404, "TOKEN_NOT_FOUND");
  require_problem(api.expire("nothex"), 404, "TOKEN_NOT_FOUND");
}

TEST_CASE("Internal API: user lookup", "[api]") {
  const auto api = api_of(shared_service());
  const auto issued = require_token_state(api.issue_token(), 201);

  const auto found = api.find_user(issued.user_id);
  REQUIRE(found.status == 200);
  CHECK(is_json_content_type(found.content_type()));
  CHECK(std::string(test_support::parse_json(found.body)["userId"].GetString()) == issued.user_id);

  require_problem(api.find_user("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"), 404, "USER_NOT_FOUND");
  require_problem(api.find_user(uppercase(issued.user_id)), 400, "INVALID_USER_ID");
  require_problem(api.find_user("abc"), 400, "INVALID_USER_ID");
}

// ---------------------------------------------------------------------------------------------
// A line over capacity

TEST_CASE("Beyond capacity tokens wait in line in order of issue", "[api]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "2"}});
  const auto api = api_of(service);

  const auto first = require_token_state(api.issue_token(), 201);
  const auto second = require_token_state(api.issue_token(), 201);
  CHECK(first.status == "ACTIVE");
  CHECK(second.status == "ACTIVE");

  const auto third = require_token_state(api.issue_token(), 201);
  CHECK(third.status == "WAITING");
  CHECK(third.position == 1);
  CHECK_FALSE(third.expires_at.has_value());
  CHECK(third.estimated_wait_seconds >= 1);

  const auto fourth = require_token_state(api.issue_token(), 201);
  CHECK(fourth.status == "WAITING");
  CHECK(fourth.position == 2);
  CHECK(fourth.estimated_wait_seconds >= third.estimated_wait_seconds);

  // Polls agree with the issue answers.
  const auto polled_third = require_token_state(api.poll(third.token), 200);
  CHECK(polled_third.token == third.token);
  CHECK(polled_third.user_id == third.user_id);
  CHECK(polled_third.status == "WAITING");
  CHECK(polled_third.position == 1);
  CHECK_FALSE(polled_third.expires_at.has_value());
  CHECK(require_token_state(api.poll(fourth.token), 200).position == 2);
  CHECK(require_token_state(api.poll(first.token), 200).status == "ACTIVE");

  // A waiting token does not pass verification.
  const auto refused = api.verify(third.token);
  require_problem(refused, 403, "TOKEN_NOT_ACTIVE");
  CHECK(refused.header("X-Problem-Code") == std::string("TOKEN_NOT_ACTIVE"));
  CHECK(api.verify(first.token).status == 200);

  CHECK(require_line(api.queue_control()) == LineView{2, false, 2, 2});
}

// (Once read the live token with a wrong column layout: garbled ACTIVE, 500 for WAITING.)
TEST_CASE("Asking again for a user who holds a live token returns that token with 200", "[api]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"}});
  const auto api = api_of(service);
  const auto active = require_token_state(api.issue_token(), 201);
  const auto waiting = require_token_state(api.issue_token(), 201);
  REQUIRE(active.status == "ACTIVE");
  REQUIRE(waiting.status == "WAITING");

  const auto active_reply = api.issue_token_for(active.user_id);
  const auto waiting_reply = api.issue_token_for(waiting.user_id);
  {
    INFO("again for the ACTIVE token's user");
    CHECK(active_reply.status == 200);
    CHECK(active_reply.body.find(R"("token":")" + active.token + "\"") != std::string::npos);
    CHECK(active_reply.body.find(R"("userId":")" + active.user_id + "\"") != std::string::npos);
    CHECK(active_reply.body.find(R"("status":"ACTIVE")") != std::string::npos);
    CHECK(active_reply.body.find(R"("expiresAt":")" + active.expires_at.value_or("?") + "\"") !=
          std::string::npos);
  }
  {
    INFO("again for the WAITING token's user");
    CHECK(waiting_reply.status == 200);
    CHECK(waiting_reply.body.find(R"("token":")" + waiting.token + "\"") != std::string::npos);
    CHECK(waiting_reply.body.find(R"("status":"WAITING")") != std::string::npos);
    CHECK(waiting_reply.body.find(R"("position":1,)") != std::string::npos);
  }
  // Full shape checks last, so that the simple expectations above are all reported.
  const auto active_again = require_token_state(active_reply, 200);
  CHECK(active_again.token == active.token);
  CHECK(active_again.user_id == active.user_id);
  CHECK(active_again.expires_at == active.expires_at);
  const auto waiting_again = require_token_state(waiting_reply, 200);
  CHECK(waiting_again.token == waiting.token);
  CHECK(waiting_again.user_id == waiting.user_id);
  CHECK(waiting_again.position == 1);
  CHECK(require_line(api.queue_control()) == LineView{1, false, 1, 1});
}

// The admin counts as they become within a few admission passes (an expiry is folded into the
// line's counters by the next pass).
bool line_becomes(const Api& api, const LineView& expected, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (require_line(api.queue_control()) == expected) return true;
    std::this_thread::sleep_for(25ms);
  }
  return require_line(api.queue_control()) == expected;
}

TEST_CASE("Expiring an active token frees its place for the next one in line", "[api]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"}, {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  const auto api = api_of(service);
  const auto active = require_token_state(api.issue_token(), 201);
  const auto next = require_token_state(api.issue_token(), 201);
  const auto last = require_token_state(api.issue_token(), 201);
  REQUIRE(next.position == 1);
  REQUIRE(last.position == 2);

  REQUIRE(api.expire(active.token).status == 204);
  const auto admitted = poll_until_active(api, next.token, 5000ms);
  CHECK(admitted.status == "ACTIVE");
  CHECK(admitted.expires_at.has_value());
  const auto behind = require_token_state(api.poll(last.token), 200);
  CHECK(behind.status == "WAITING");
  CHECK(behind.position == 1);
  CHECK(require_line(api.queue_control()) == LineView{1, false, 1, 1});
  const auto metrics = api.get("/metrics").body;
  CHECK(metrics.find("queue_expired_total 1") != std::string::npos);
  CHECK(metrics.find("queue_admitted_total 2") != std::string::npos);
}

TEST_CASE("Expiring a waiting token moves those behind it up the line", "[api]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"}, {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  const auto api = api_of(service);
  require_token_state(api.issue_token(), 201);
  const auto leaving = require_token_state(api.issue_token(), 201);
  const auto staying = require_token_state(api.issue_token(), 201);
  REQUIRE(leaving.position == 1);
  REQUIRE(staying.position == 2);

  REQUIRE(api.expire(leaving.token).status == 204);
  require_bearer_challenge(api.poll(leaving.token), "TOKEN_EXPIRED");
  CHECK(line_becomes(api, LineView{1, false, 1, 1}, 2000ms));

  // Allow a few admission passes for any cached view of the line to catch up.
  const auto deadline = std::chrono::steady_clock::now() + 2000ms;
  auto state = require_token_state(api.poll(staying.token), 200);
  while (state.position != 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
    state = require_token_state(api.poll(staying.token), 200);
  }
  CHECK(state.status == "WAITING");
  CHECK(state.position == 1);
}

// ---------------------------------------------------------------------------------------------
// Admin API

TEST_CASE("Admin API refuses requests without the right X-Admin-Key", "[api]") {
  const auto api = api_of(shared_service());
  const auto before = require_line(api.queue_control());

  require_problem(api.queue_control({}), 401, "ADMIN_KEY_INVALID");
  for (const std::string& key :
       {std::string("wrong"), std::string("TEST-ADMIN-KEY"), std::string("test-admin-ke"),
        std::string("test-admin-keyx"), std::string("")}) {
    INFO("X-Admin-Key '" << key << "'");
    require_problem(api.queue_control({{"X-Admin-Key", key}}), 401, "ADMIN_KEY_INVALID");
    require_problem(
        api.update_queue_control(R"({"capacity":7,"paused":true})", {{"X-Admin-Key", key}}), 401,
        "ADMIN_KEY_INVALID");
  }
  require_problem(api.update_queue_control(R"({"paused":true})", {}), 401, "ADMIN_KEY_INVALID");
  // The key is not accepted elsewhere either.
  require_problem(
      api.get("/api/v1/admin/queue", {{"Authorization", std::string("Bearer ") + kAdminKey}}), 401,
      "ADMIN_KEY_INVALID");

  const auto after = require_line(api.queue_control());
  CHECK(after.capacity == before.capacity);
  CHECK(after.paused == before.paused);
}

TEST_CASE(
    "Admin API reads the line, rejects bad settings without changing anything, and pauses "
    "admission",
    "[api]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "2"}, {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  const auto api = api_of(service);

  CHECK(require_line(api.queue_control()) == LineView{2, false, 0, 0});
  const auto first = require_token_state(api.issue_token(), 201);
  CHECK(require_line(api.queue_control()) == LineView{2, false, 1, 0});
  require_token_state(api.issue_token(), 201);
  const auto waiting = require_token_state(api.issue_token(), 201);
  REQUIRE(waiting.status == "WAITING");
  const LineView start{2, false, 2, 1};
  CHECK(require_line(api.queue_control()) == start);

  const std::vector<std::string> rejected = {R"({"capacity":-1})",
                                             R"({"capacity":1000001})",
                                             R"({"capacity":"5"})",
                                             R"({"capacity":1.5})",
                                             R"({"capacity":5.0})",
                                             R"({"capacity":1e3})",
                                             R"({"capacity":true})",
                                             R"({"capacity":[5]})",
                                             R"({"capacity":9223372036854775808})",
                                             R"({"capacity":-9223372036854775809})",
                                             R"({"paused":"true"})",
                                             R"({"paused":1})",
                                             R"({"paused":"yes"})",
                                             R"({"capacity":5,"foo":1})",
                                             R"({"foo":1})",
                                             R"({"capacity":5,"paused":"x"})",
                                             R"({"paused":true,"capacity":-5})",
                                             R"({"capacity":5,"capacity":6})",
                                             "{",
                                             R"({"capacity":})",
                                             R"({"capacity":5} x)",
                                             "",
                                             "[]",
                                             "5",
                                             "null",
                                             R"("capacity")"};
  for (const auto& body : rejected) {
    INFO("body: " << body);
    require_problem(api.update_queue_control(body), 400, "INVALID_REQUEST");
    CHECK(require_line(api.queue_control()) == start);
  }

  // An empty object changes nothing and reads the line back.
  CHECK(require_line(api.update_queue_control("{}")) == start);

  // Pause, then raise the capacity: nobody is admitted while paused.
  CHECK(require_line(api.update_queue_control(R"({"paused":true})")) == LineView{2, true, 2, 1});
  CHECK(require_line(api.queue_control()) == LineView{2, true, 2, 1});
  CHECK(require_line(api.update_queue_control(R"({"capacity":5})")) == LineView{5, true, 2, 1});
  CHECK(require_line(api.queue_control()) == LineView{5, true, 2, 1});

  // A newcomer to a paused line waits too, although capacity is free.
  const auto newcomer = require_token_state(api.issue_token(), 201);
  CHECK(newcomer.status == "WAITING");
  CHECK(newcomer.position == 2);

  // Several admission intervals (100 ms) pass: still nobody admitted.
  const auto watch_until = std::chrono::steady_clock::now() + 500ms;
  while (std::chrono::steady_clock::now() < watch_until) {
    const auto state = require_token_state(api.poll(waiting.token), 200);
    REQUIRE(state.status == "WAITING");
    CHECK(state.position == 1);
    require_token_state(api.poll(newcomer.token), 200);
    std::this_thread::sleep_for(25ms);
  }
  CHECK(require_line(api.queue_control()) == LineView{5, true, 2, 2});

  // Unpausing admits both, in order of issue.
  CHECK(require_line(api.update_queue_control(R"({"paused":false})")).paused == false);
  const auto admitted = poll_until_active(api, waiting.token, 5000ms);
  CHECK(admitted.status == "ACTIVE");
  CHECK(admitted.position == 0);
  CHECK(admitted.estimated_wait_seconds == 0);
  CHECK(admitted.expires_at.has_value());
  CHECK(poll_until_active(api, newcomer.token, 5000ms).status == "ACTIVE");
  CHECK(require_line(api.queue_control()) == LineView{5, false, 4, 0});
  CHECK(api.verify(waiting.token).status == 200);

  // Both settings at once, and the bounds of capacity.
  CHECK(require_line(api.update_queue_control(R"({"capacity":0,"paused":true})")) ==
        LineView{0, true, 4, 0});
  CHECK(require_line(api.update_queue_control(R"({"capacity":1000000,"paused":false})")) ==
        LineView{1000000, false, 4, 0});
  CHECK(require_line(api.queue_control()) == LineView{1000000, false, 4, 0});
  CHECK(require_token_state(api.poll(first.token), 200).status == "ACTIVE");
}

// ---------------------------------------------------------------------------------------------
// Routing, request ids, operations endpoints

TEST_CASE("Unknown routes are 404 NOT_FOUND and wrong methods 405 METHOD_NOT_ALLOWED with Allow",
          "[api]") {
  const auto api = api_of(shared_service());

  for (const std::string target : {"/", "/api/v1/nope", "/api/v1/queue/tokens/you",
                                   "/api/v1/queue/tokens/me/extra", "/internal/v1/nope"}) {
    INFO("GET " << target);
    require_problem(api.get(target), 404, "NOT_FOUND");
  }

  struct Case {
    const char* method;
    const char* target;
    const char* allowed;
  };
  for (const auto& c :
       {Case{"DELETE", "/api/v1/queue/tokens", "POST"}, Case{"GET", "/api/v1/queue/tokens", "POST"},
        Case{"PUT", "/api/v1/queue/tokens/me", "GET"},
        Case{"POST", "/api/v1/queue/tokens/me", "GET"},
        Case{"DELETE", "/api/v1/admin/queue", "PUT"},
        Case{"POST", "/internal/v1/tokens/verify", "GET"}}) {
    INFO(c.method << " " << c.target);
    const auto reply = api.send(c.method, c.target, "{}");
    require_problem(reply, 405, "METHOD_NOT_ALLOWED");
    const auto allow = reply.header("Allow");
    REQUIRE(allow.has_value());
    CHECK(allow->find(c.allowed) != std::string::npos);
    CHECK(allow->find(c.method) == std::string::npos);
  }
}

TEST_CASE("X-Request-Id is echoed when sent and minted when not", "[api]") {
  const auto api = api_of(shared_service());
  const std::string id = "qa-request-0123456789";

  const auto issued = api.send("POST", "/api/v1/queue/tokens", "{}", {{"X-Request-Id", id}});
  CHECK(issued.status == 201);
  CHECK(issued.header("X-Request-Id") == id);

  const auto missing = api.get("/api/v1/nope", {{"X-Request-Id", id}});
  CHECK(missing.status == 404);
  CHECK(missing.header("X-Request-Id") == id);

  const auto bad = api.send("POST", "/api/v1/queue/tokens", "{", {{"X-Request-Id", id}});
  CHECK(bad.status == 400);
  CHECK(bad.header("X-Request-Id") == id);

  const auto minted = api.get("/healthz");
  REQUIRE(minted.header("X-Request-Id").has_value());
  CHECK_FALSE(minted.header("X-Request-Id")->empty());
}

TEST_CASE("Health, readiness and metrics", "[api]") {
  const auto api = api_of(shared_service());
  require_token_state(api.issue_token(), 201);  // at least one request through a matched route

  test_support::require_operations_endpoints(
      api, {"queue_waiting_tokens", "queue_active_tokens", "queue_admitted_total",
            "queue_expired_total", "http_request_duration_seconds"});
}

// ---------------------------------------------------------------------------------------------
// Hostile input

TEST_CASE("Hostile request bodies are answered 4xx, never 5xx, and the service stays healthy",
          "[api]") {
  const auto api = api_of(shared_service());
  const auto line_before = require_line(api.queue_control());

  using namespace std::string_literals;
  std::vector<std::string> bodies = test_support::hostile_json_bodies();
  bodies.insert(bodies.end(),
                {
                    R"({"userId":)" + repeat("[", 10000) + repeat("]", 10000) + "}",
                    R"({"capacity":)" + repeat("{\"a\":", 5000) + "1" + repeat("}", 5000) + "}",
                    R"({"capacity":1e400})",
                    R"({"capacity":-1e400})",
                    R"({"capacity":)" + std::string(5000, '9') + "}",
                    R"({"capacity":0.)" + std::string(50, '0') + "1}",
                    R"({"capacity":1e-99999})",
                    R"({"capacity":99999999999999999999999999999999})",
                    R"({"capacity":1e-400})",
                    "{\"userId\":\"\0\"}"s,
                    R"({"userId":"\u0000"})",
                    "{\"userId\":\"\xff\xfe\"}",
                    "{\"\xc3\x28\":1}",
                    "{\"capacity\xc0\xaf\":1}",
                    R"({"userId":"\ud800"})",
                    R"({"userId":")" + std::string(60 * 1024, 'a') + R"("})",
                });

  for (std::size_t i = 0; i < bodies.size(); ++i) {
    for (const bool admin : {false, true}) {
      INFO("body #" << i << " (" << bodies[i].size() << " bytes) to "
                    << (admin ? "PUT /api/v1/admin/queue" : "POST /api/v1/queue/tokens") << ": "
                    << bodies[i].substr(0, 60));
      const auto reply = admin ? api.update_queue_control(bodies[i]) : api.issue_token(bodies[i]);
      INFO("answer " << reply.status << ": " << reply.body.substr(0, 300));
      CHECK(reply.status >= 400);
      CHECK(reply.status < 500);
      CHECK(lowercase(reply.content_type()).rfind("application/problem+json", 0) == 0);
    }
  }

  CHECK(api.get("/healthz").status == 200);
  CHECK(require_line(api.queue_control()).capacity == line_before.capacity);
  CHECK(require_line(api.queue_control()).paused == line_before.paused);
}

// Regression: with kParseFullPrecisionFlag the system RapidJSON 1.1.0 indexed its table of cached
// powers of ten out of bounds for a decimal whose exponent falls below about -348 and the
// process died. Its own service, in case it dies again.
TEST_CASE("A decimal with hundreds of fractional zeros is 400, not a crash", "[api]") {
  test_support::QueueService service;
  const auto api = api_of(service);
  const std::string number = "0." + std::string(400, '0') + "1";
  for (const bool admin : {false, true}) {
    INFO((admin ? "PUT /api/v1/admin/queue" : "POST /api/v1/queue/tokens"));
    const std::string body =
        admin ? R"({"capacity":)" + number + "}" : R"({"userId":)" + number + "}";
    std::optional<Reply> reply;
    try {
      reply = admin ? api.update_queue_control(body) : api.issue_token(body);
    } catch (const std::exception& error) {
      FAIL_CHECK("no answer: " << error.what());
    }
    if (reply) require_problem(*reply, 400, "INVALID_REQUEST");
  }
  bool healthy = false;
  try {
    healthy = api.get("/healthz").status == 200;
  } catch (const std::exception&) {
  }
  CHECK(healthy);
}

// Regression: the body was parsed as a NUL-terminated text, so "{}\0garbage" read as "{}".
// NUL is not JSON whitespace.
TEST_CASE("A NUL byte after the JSON value makes the body malformed", "[api]") {
  const auto api = api_of(shared_service());
  using namespace std::string_literals;
  for (const auto& body : {"{}\0"s, "{}\0garbage"s, "{}\0{\"foo\":1}"s}) {
    INFO("body of " << body.size() << " bytes: " << body.substr(0, 2) << "\\0" << body.substr(3));
    require_problem(api.issue_token(body), 400, "INVALID_REQUEST");
    require_problem(api.update_queue_control(body), 400, "INVALID_REQUEST");
  }
}
