// The payment service's clients of the concert and queue services, against fake peers served
// by the real HTTP server on ephemeral ports, and the known-user cache.
#include <rapidjson/document.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/cache/caching_user_directory.hpp"
#include "adapters/clients/http_concert_client.hpp"
#include "adapters/clients/http_queue_client.hpp"
#include "adapters/clients/peer.hpp"
#include "test_support.hpp"
#include "ticketing/errors.hpp"
#include "ticketing/http/problem.hpp"

using namespace std::chrono_literals;
using payment::ConfirmAnswer;
using payment::HoldState;
using ticketing::DependencyUnavailable;
using ticketing::http::ClientOptions;
using ticketing::http::json_response;
using ticketing::http::Method;
using ticketing::http::problem;
using ticketing::http::Request;
using ticketing::http::Response;
using ticketing::http::Router;

namespace {

struct Recorded {
  Method method = Method::get;
  std::string path;   // as sent (percent-encoded)
  std::string param;  // the route's path parameter, decoded
  std::string body;
  std::optional<std::string> request_id;  // the X-Request-Id header as sent
};

// A peer service answering scripted responses per path and recording every request.
class FakePeer {
 public:
  explicit FakePeer(const std::vector<std::pair<Method, std::string>>& routes)
      : server_(router(routes)) {}

  void script(const std::string& path, Response response, std::chrono::milliseconds delay = 0ms) {
    std::lock_guard lock(mutex_);
    scripts_[path] = {std::move(response), delay};
  }

  std::size_t calls(const std::string& path) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& r : recorded_) n += r.path == path ? 1 : 0;
    return n;
  }

  std::vector<Recorded> requests() const {
    std::lock_guard lock(mutex_);
    return recorded_;
  }

  ClientOptions options(std::chrono::milliseconds request_timeout = 3000ms) const {
    auto options = ClientOptions::from_url("http://127.0.0.1:" + std::to_string(server_.port()));
    REQUIRE(options.ok());
    options->request_timeout = request_timeout;
    return options.value();
  }

 private:
  struct Scripted {
    Response response;
    std::chrono::milliseconds delay{0};
  };

  Router router(const std::vector<std::pair<Method, std::string>>& routes) {
    Router r;
    for (const auto& [method, pattern] : routes) {
      r.add(method, pattern, [this](const Request& request) { return answer(request); });
    }
    return r;
  }

  Response answer(const Request& request) {
    Scripted scripted{problem(500, "UNSCRIPTED", "the test did not script this path"), 0ms};
    {
      std::lock_guard lock(mutex_);
      auto header = request.header("X-Request-Id");
      recorded_.push_back({request.method, request.path,
                           request.params.empty() ? std::string() : request.params.front().second,
                           request.body,
                           header ? std::optional<std::string>(*header) : std::nullopt});
      if (auto found = scripts_.find(request.path); found != scripts_.end())
        scripted = found->second;
    }
    if (scripted.delay > 0ms) std::this_thread::sleep_for(scripted.delay);
    return scripted.response;
  }

  mutable std::mutex mutex_;
  std::map<std::string, Scripted> scripts_;
  std::vector<Recorded> recorded_;
  ticketing::http::test::TestServer server_;  // last: stops (and joins) before the state goes
};

// FakePeer can be neither copied nor moved: these return it by guaranteed copy elision.
FakePeer fake_concert() {
  return FakePeer({{Method::get, "/internal/v1/reservations/{reservationId}"},
                   {Method::post, "/internal/v1/reservations/{reservationId}/confirm"}});
}

FakePeer fake_queue() {
  return FakePeer({{Method::get, "/internal/v1/users/{userId}"},
                   {Method::post, "/internal/v1/tokens/{token}/expire"}});
}

std::string reservation_json(std::int64_t id, std::string_view status,
                             std::string_view payment_id) {
  return R"({"reservationId":)" + std::to_string(id) +
         R"(,"concertId":7,"date":"2030-05-01","seatNo":12,"price":90000,"status":")" +
         std::string(status) +
         R"(","expiresAt":"2030-04-30T10:05:00Z","userId":"user-1","paymentId":)" +
         (payment_id.empty() ? std::string("null") : "\"" + std::string(payment_id) + "\"") + "}";
}

ClientOptions closed_port_options() {
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = ticketing::http::test::closed_port();
  options.connect_timeout = 500ms;
  return options;
}

const std::string kPayment = "6f1c1e0a-3b7d-4c47-9a51-0d6b0cbb7a11";

}  // namespace

TEST_CASE("concert read: a 200 becomes the reservation view", "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1",
                 json_response(200, reservation_json(1, "HELD", "")));
  concert.script("/internal/v1/reservations/2",
                 json_response(200, reservation_json(2, "CONFIRMED", kPayment)));
  concert.script("/internal/v1/reservations/3",
                 json_response(200, reservation_json(3, "EXPIRED", "")));
  concert.script("/internal/v1/reservations/4",
                 json_response(200, reservation_json(4, "CANCELLED", "")));
  payment::HttpConcertClient client(concert.options(), [] { return std::string("req-42"); });

  const auto held = client.read(1);
  REQUIRE(held);
  CHECK(held->reservation_id == 1);
  CHECK(held->user_id == "user-1");
  CHECK(held->price == 90000);
  CHECK(held->state == HoldState::held);
  CHECK_FALSE(held->payment_id);

  const auto confirmed = client.read(2);
  REQUIRE(confirmed);
  CHECK(confirmed->state == HoldState::confirmed);
  CHECK(confirmed->payment_id == kPayment);
  CHECK(client.read(3)->state == HoldState::expired);
  CHECK(client.read(4)->state == HoldState::cancelled);

  const auto sent = concert.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].method == Method::get);
  CHECK(sent[0].request_id == "req-42");
}

TEST_CASE("concert read: 404 RESERVATION_NOT_FOUND is no reservation", "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/9",
                 problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours"));
  payment::HttpConcertClient client(concert.options());
  CHECK_FALSE(client.read(9));
  // Ids the concert service cannot hold are not asked about.
  CHECK_FALSE(client.read(0));
  CHECK_FALSE(client.read(-5));
  CHECK_FALSE(client.read(1'000'000'000'000'000'000));
  const auto sent = concert.requests();
  REQUIRE(sent.size() == 1);
  CHECK_FALSE(sent[0].request_id);  // no request id source: none sent
}

TEST_CASE("concert read: answers outside the contract are DependencyUnavailable",
          "[clients][concert]") {
  auto concert = fake_concert();
  const auto body_for = [](std::string_view replace, std::string_view with) {
    auto body = reservation_json(5, "HELD", "");
    body.replace(body.find(replace), replace.size(), with);
    return body;
  };
  const std::vector<std::pair<std::string, Response>> broken = {
      {"500", problem(500, "INTERNAL_ERROR", "boom")},
      {"503", problem(503, "SERVICE_UNAVAILABLE", "database down")},
      {"404 from a missing route", problem(404, "NOT_FOUND", "no route")},
      {"not JSON", json_response(200, "{\"reservationId\":5,")},
      {"an array", json_response(200, "[]")},
      {"empty", json_response(200, "")},
      {"trailing garbage", json_response(200, reservation_json(5, "HELD", "") + "x")},
      {"price as a string", json_response(200, body_for("\"price\":90000", "\"price\":\"90000\""))},
      {"price as a fraction", json_response(200, body_for("\"price\":90000", "\"price\":900.5"))},
      {"no userId", json_response(200, body_for("\"userId\":\"user-1\",", ""))},
      {"userId a number", json_response(200, body_for("\"userId\":\"user-1\"", "\"userId\":1"))},
      {"unknown status", json_response(200, reservation_json(5, "SOLD", ""))},
      {"paymentId a number", json_response(200, body_for("\"paymentId\":null", "\"paymentId\":3"))},
      {"another reservation", json_response(200, reservation_json(6, "HELD", ""))},
      {"204", ticketing::http::empty_response(204)},
  };
  payment::HttpConcertClient client(concert.options());
  for (const auto& [what, response] : broken) {
    INFO(what);
    concert.script("/internal/v1/reservations/5", response);
    CHECK_THROWS_AS(client.read(5), DependencyUnavailable);
  }
  concert.script("/internal/v1/reservations/5",
                 json_response(200, body_for("\"price\":90000", "\"price\":\"x\"")));
  CHECK_THROWS_WITH(client.read(5), Catch::Contains("malformed") && Catch::Contains("price"));
  concert.script("/internal/v1/reservations/5", problem(500, "INTERNAL_ERROR", "boom"));
  CHECK_THROWS_WITH(client.read(5), Catch::Contains("HTTP 500"));
}

TEST_CASE("concert read: a closed port or a timeout is DependencyUnavailable",
          "[clients][concert]") {
  payment::HttpConcertClient closed(closed_port_options());
  CHECK_THROWS_AS(closed.read(1), DependencyUnavailable);

  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1", json_response(200, reservation_json(1, "HELD", "")),
                 800ms);
  payment::HttpConcertClient client(concert.options(200ms));
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(client.read(1), Catch::Contains("timed out"));
  CHECK(std::chrono::steady_clock::now() - start < 700ms);
}

TEST_CASE("concert confirm: 200 is confirmed, and the body names the payment",
          "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1/confirm",
                 json_response(200, reservation_json(1, "CONFIRMED", kPayment)));
  payment::HttpConcertClient client(concert.options(), [] { return std::string("req-7"); });
  CHECK(client.confirm(1, kPayment) == ConfirmAnswer::confirmed);

  const auto sent = concert.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == Method::post);
  CHECK(sent[0].path == "/internal/v1/reservations/1/confirm");
  CHECK(sent[0].request_id == "req-7");
  rapidjson::Document body;
  body.Parse(sent[0].body.data(), sent[0].body.size());
  REQUIRE_FALSE(body.HasParseError());
  REQUIRE(body.IsObject());
  CHECK(body.MemberCount() == 1);
  REQUIRE(body.HasMember("paymentId"));
  REQUIRE(body["paymentId"].IsString());
  CHECK(std::string(body["paymentId"].GetString()) == kPayment);
}

TEST_CASE("concert confirm: a payment id is sent JSON-escaped", "[clients][concert]") {
  auto concert = fake_concert();
  const std::string odd = "pay\"\\1";
  concert.script("/internal/v1/reservations/1/confirm",
                 json_response(200, reservation_json(1, "CONFIRMED", "pay\\\"\\\\1")));
  payment::HttpConcertClient client(concert.options());
  CHECK(client.confirm(1, odd) == ConfirmAnswer::confirmed);
  rapidjson::Document body;
  body.Parse(concert.requests().at(0).body.c_str());
  REQUIRE(body.IsObject());
  CHECK(std::string(body["paymentId"].GetString()) == odd);
}

TEST_CASE("concert confirm: the documented refusals are refused", "[clients][concert]") {
  auto concert = fake_concert();
  payment::HttpConcertClient client(concert.options());
  const std::vector<Response> refusals = {
      problem(410, "RESERVATION_EXPIRED", "the hold lapsed"),
      problem(409, "RESERVATION_CANCELLED", "the reservation was cancelled"),
      problem(409, "ALREADY_CONFIRMED", "the reservation was confirmed for another payment"),
      problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours"),
  };
  for (const auto& response : refusals) {
    INFO(response.body);
    concert.script("/internal/v1/reservations/3/confirm", response);
    CHECK(client.confirm(3, kPayment) == ConfirmAnswer::refused);
  }
  // An id the concert service cannot hold is never confirmed; nothing is asked.
  CHECK(client.confirm(0, kPayment) == ConfirmAnswer::refused);
  CHECK(concert.requests().size() == refusals.size());
}

TEST_CASE("concert confirm: anything else is unreachable, never a throw", "[clients][concert]") {
  auto concert = fake_concert();
  payment::HttpConcertClient client(concert.options());
  const std::vector<std::pair<std::string, Response>> unknown = {
      {"500", problem(500, "INTERNAL_ERROR", "boom")},
      {"503", problem(503, "SERVICE_UNAVAILABLE", "database down")},
      {"404 from a missing route", problem(404, "NOT_FOUND", "no route")},
      {"409 without a code", json_response(409, "{}")},
      {"410 not JSON", json_response(410, "gone")},
      {"400",
       problem(400, "INVALID_REQUEST", "'paymentId' must be 1 to 255 visible ASCII characters")},
      {"200 not JSON", json_response(200, "OK")},
      {"200 of another payment", json_response(200, reservation_json(3, "CONFIRMED", "other"))},
      {"200 still held", json_response(200, reservation_json(3, "HELD", ""))},
      {"200 price a string",
       json_response(
           200,
           R"({"reservationId":3,"userId":"u","price":"1","status":"CONFIRMED","paymentId":")" +
               kPayment + "\"}")},
  };
  for (const auto& [what, response] : unknown) {
    INFO(what);
    concert.script("/internal/v1/reservations/3/confirm", response);
    CHECK(client.confirm(3, kPayment) == ConfirmAnswer::unreachable);
  }

  payment::HttpConcertClient closed(closed_port_options());
  CHECK(closed.confirm(3, kPayment) == ConfirmAnswer::unreachable);

  concert.script("/internal/v1/reservations/3/confirm",
                 json_response(200, reservation_json(3, "CONFIRMED", kPayment)), 800ms);
  payment::HttpConcertClient impatient(concert.options(200ms));
  const auto start = std::chrono::steady_clock::now();
  CHECK(impatient.confirm(3, kPayment) == ConfirmAnswer::unreachable);
  CHECK(std::chrono::steady_clock::now() - start < 700ms);
}

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

namespace {

// An in-process directory that counts its calls: yes for names starting with "known".
class CountingDirectory final : public payment::UserDirectory {
 public:
  bool exists(std::string_view user_id) override {
    calls.fetch_add(1);
    if (failing.load()) throw DependencyUnavailable("queue down");
    return user_id.substr(0, 5) == "known";
  }
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
};

}  // namespace

TEST_CASE("cache: a known user is asked once, an unknown one every time", "[clients][cache]") {
  auto queue = fake_queue();
  queue.script("/internal/v1/users/u1", json_response(200, "{\"userId\":\"u1\"}"));
  queue.script("/internal/v1/users/u2", problem(404, "USER_NOT_FOUND", "no user has this id"));
  payment::HttpQueueClient client(queue.options());
  payment::CachingUserDirectory cache(client);

  CHECK(cache.exists("u1"));
  CHECK(cache.exists("u1"));
  CHECK(cache.exists("u1"));
  CHECK(queue.calls("/internal/v1/users/u1") == 1);

  CHECK_FALSE(cache.exists("u2"));
  CHECK_FALSE(cache.exists("u2"));
  CHECK(queue.calls("/internal/v1/users/u2") == 2);
  // Minted meanwhile: the earlier no was not remembered.
  queue.script("/internal/v1/users/u2", json_response(200, "{\"userId\":\"u2\"}"));
  CHECK(cache.exists("u2"));
  CHECK(cache.exists("u2"));
  CHECK(queue.calls("/internal/v1/users/u2") == 3);
  CHECK(cache.size() == 2);
}

TEST_CASE("cache: failures pass through and are not remembered", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner);
  inner.failing = true;
  CHECK_THROWS_AS(cache.exists("known-1"), DependencyUnavailable);
  inner.failing = false;
  CHECK(cache.exists("known-1"));
  CHECK(inner.calls == 2);
  // Once known, the user is answered even while the queue service is down.
  inner.failing = true;
  CHECK(cache.exists("known-1"));
  CHECK(inner.calls == 2);
}

TEST_CASE("cache: bounded, the oldest known user is forgotten first", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner, 2);
  CHECK(cache.exists("known-a"));
  CHECK(cache.exists("known-b"));
  CHECK(cache.exists("known-c"));  // evicts a
  CHECK(cache.size() == 2);
  CHECK(inner.calls == 3);
  CHECK(cache.exists("known-b"));
  CHECK(cache.exists("known-c"));
  CHECK(inner.calls == 3);
  CHECK(cache.exists("known-a"));  // asked again; evicts b
  CHECK(inner.calls == 4);
  CHECK(cache.exists("known-b"));
  CHECK(inner.calls == 5);
  CHECK(cache.size() == 2);
}

TEST_CASE("cache: 16 threads at once over HTTP", "[clients][cache]") {
  auto queue = fake_queue();
  constexpr int kKnown = 20;
  for (int i = 0; i < kKnown; ++i) {
    const auto id = "known-" + std::to_string(i);
    queue.script("/internal/v1/users/" + id, json_response(200, "{\"userId\":\"" + id + "\"}"));
  }
  queue.script("/internal/v1/users/stranger",
               problem(404, "USER_NOT_FOUND", "no user has this id"));
  payment::HttpQueueClient client(queue.options());
  payment::CachingUserDirectory cache(client);

  constexpr int kThreads = 16;
  constexpr int kRounds = 60;
  std::atomic<int> wrong{0};
  std::atomic<int> stranger_asks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const int pick = (t * 7 + round) % (kKnown + 1);
        if (pick == kKnown) {
          stranger_asks.fetch_add(1);
          if (cache.exists("stranger")) wrong.fetch_add(1);
        } else if (!cache.exists("known-" + std::to_string(pick))) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(wrong == 0);
  CHECK(cache.size() == kKnown);
  CHECK(queue.calls("/internal/v1/users/stranger") ==
        static_cast<std::size_t>(stranger_asks.load()));
  for (int i = 0; i < kKnown; ++i) {
    // Each thread misses a user at most once: after its own answer the user is remembered.
    const auto calls = queue.calls("/internal/v1/users/known-" + std::to_string(i));
    CHECK(calls >= 1);
    CHECK(calls <= static_cast<std::size_t>(kThreads));
  }
}

TEST_CASE("cache: 16 threads racing evictions on a tiny cache", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner, 8);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto id = (i % 5 == 0 ? "nobody-" : "known-") + std::to_string((t + i) % 50);
        if (cache.exists(id) != (id.rfind("known", 0) == 0)) wrong.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(cache.size() <= 8);
}
