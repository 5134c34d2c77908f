// The payment service's client of the queue service, against a fake queue service.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_peer.hpp"

using namespace std::chrono_literals;
using namespace payment::testing;

TEST_CASE("queue users: 200 exists, 404 and 400 do not, the rest is unavailable",
          "[clients][queue]") {
  auto queue = fake_queue();
  const std::string user = "0b5e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
  queue.script("/internal/v1/users/" + user, json_response(200, "{\"userId\":\"" + user + "\"}"));
  queue.script("/internal/v1/users/nobody", problem(404, "USER_NOT_FOUND", "no user has this id"));
  queue.script(
      "/internal/v1/users/NOT-A-UUID",
      problem(400, "INVALID_USER_ID", "userId must be a UUID in canonical lowercase form"));
  queue.script("/internal/v1/users/broken", problem(500, "INTERNAL_ERROR", "boom"));
  queue.script("/internal/v1/users/missing-route", problem(404, "NOT_FOUND", "no route"));
  queue.script("/internal/v1/users/malformed", json_response(200, "{\"userId\":1}"));
  queue.script("/internal/v1/users/someone-else", json_response(200, "{\"userId\":\"x\"}"));
  payment::HttpQueueClient client(queue.options(), [] { return std::string("req-9"); });

  CHECK(client.exists(user));
  CHECK_FALSE(client.exists("nobody"));
  CHECK_FALSE(client.exists("NOT-A-UUID"));
  CHECK_THROWS_AS(client.exists("broken"), DependencyUnavailable);
  CHECK_THROWS_AS(client.exists("missing-route"), DependencyUnavailable);
  CHECK_THROWS_WITH(client.exists("malformed"), Catch::Contains("malformed"));
  CHECK_THROWS_AS(client.exists("someone-else"), DependencyUnavailable);
  CHECK_FALSE(client.exists(""));  // not asked: no user has an empty id
  CHECK(queue.requests().size() == 7);
  CHECK(queue.requests().front().request_id == "req-9");

  payment::HttpQueueClient closed(closed_port_options());
  CHECK_THROWS_AS(closed.exists(user), DependencyUnavailable);
  queue.script("/internal/v1/users/" + user, json_response(200, "{\"userId\":\"" + user + "\"}"),
               800ms);
  payment::HttpQueueClient impatient(queue.options(200ms));
  CHECK_THROWS_AS(impatient.exists(user), DependencyUnavailable);
}

TEST_CASE("queue users: the id is one percent-encoded path segment", "[clients][queue]") {
  auto queue = fake_queue();
  queue.script("/internal/v1/users/a%20b%2Fc%3F",
               problem(404, "USER_NOT_FOUND", "no user has this id"));
  payment::HttpQueueClient client(queue.options());
  CHECK_FALSE(client.exists("a b/c?"));
  const auto sent = queue.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].param == "a b/c?");
  CHECK(payment::peer::path_segment("AZaz09-._~") == "AZaz09-._~");
  CHECK(payment::peer::path_segment("\xC3\xA9%") == "%C3%A9%25");
}

TEST_CASE("queue tokens: 204 and 404 are expired, the rest is to be retried", "[clients][queue]") {
  auto queue = fake_queue();
  queue.script("/internal/v1/tokens/t1/expire", ticketing::http::empty_response(204));
  queue.script("/internal/v1/tokens/gone/expire",
               problem(404, "TOKEN_NOT_FOUND", "no token has this value"));
  queue.script("/internal/v1/tokens/broken/expire", problem(500, "INTERNAL_ERROR", "boom"));
  queue.script("/internal/v1/tokens/missing-route/expire", problem(404, "NOT_FOUND", "no route"));
  queue.script("/internal/v1/tokens/slow/expire", ticketing::http::empty_response(204), 800ms);
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  const ticketing::log::Logger logger("payment-test", ticketing::log::Level::debug, fd);
  payment::HttpQueueClient client(
      queue.options(200ms), [] { return std::string("req-3"); }, &logger);

  CHECK(client.expire("t1"));
  CHECK(client.expire("gone"));
  CHECK(client.expire(""));  // not asked: nothing to expire
  CHECK_FALSE(client.expire("broken"));
  CHECK_FALSE(client.expire("missing-route"));
  CHECK_FALSE(client.expire("slow"));
  const auto sent = queue.requests();
  REQUIRE(sent.size() == 5);
  CHECK(sent[0].method == Method::post);
  CHECK(sent[0].request_id == "req-3");

  payment::HttpQueueClient closed(closed_port_options());
  CHECK_FALSE(closed.expire("t1"));
  ::close(fd);
}
