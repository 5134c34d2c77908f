#pragma once

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

// Fake concert and queue services served by the real HTTP server on ephemeral ports, for the
// tests of the payment service's clients.

namespace payment::testing {

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
inline FakePeer fake_concert() {
  return FakePeer({{Method::get, "/internal/v1/reservations/{reservationId}"},
                   {Method::post, "/internal/v1/reservations/{reservationId}/confirm"}});
}

inline FakePeer fake_queue() {
  return FakePeer({{Method::get, "/internal/v1/users/{userId}"},
                   {Method::post, "/internal/v1/tokens/{token}/expire"}});
}

inline std::string reservation_json(std::int64_t id, std::string_view status,
                                    std::string_view payment_id) {
  return R"({"reservationId":)" + std::to_string(id) +
         R"(,"concertId":7,"date":"2030-05-01","seatNo":12,"price":90000,"status":")" +
         std::string(status) +
         R"(","expiresAt":"2030-04-30T10:05:00Z","userId":"user-1","paymentId":)" +
         (payment_id.empty() ? std::string("null") : "\"" + std::string(payment_id) + "\"") + "}";
}

inline ClientOptions closed_port_options() {
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = ticketing::http::test::closed_port();
  options.connect_timeout = 500ms;
  return options;
}

inline const std::string kPayment = "6f1c1e0a-3b7d-4c47-9a51-0d6b0cbb7a11";

}  // namespace payment::testing
