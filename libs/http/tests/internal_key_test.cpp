// The trust boundary at the server: the internal key check before routing, its exemptions, its
// log line, and the client sending the key on every call.
#include "ticketing/http/internal_key.hpp"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "demo_server.hpp"

using namespace ticketing::http;
using namespace ticketing::http::test;

namespace {

const std::string kKey = "a-shared-internal-key-0123456789";

ServerOptions keyed_options() {
  auto options = test_options();
  options.internal_key = kKey;
  options.open_paths = kOpenPaths;
  return options;
}

// A router whose every handler counts its calls, so a refused request is seen to run nothing.
Router counting_router(std::atomic<int>& handled) {
  Router router;
  const auto count = [&handled](const Request&) {
    ++handled;
    return json_response(200, R"({"ok":true})");
  };
  router.add(Method::get, "/healthz", count);
  router.add(Method::get, "/readyz", count);
  router.add(Method::get, "/metrics", count);
  router.add(Method::get, "/api/v1/things", count);
  router.add(Method::post, "/internal/v1/things/{id}/confirm", count);
  return router;
}

Client keyed_client(std::uint16_t port, std::string key) {
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.headers.emplace_back(std::string(kInternalKeyHeader), std::move(key));
  return Client(options);
}

std::string read_all(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("same_secret is equality whatever the lengths", "[internal-key]") {
  CHECK(same_secret(kKey, kKey));
  CHECK_FALSE(same_secret("", kKey));
  CHECK_FALSE(same_secret(kKey.substr(0, kKey.size() - 1), kKey));
  CHECK_FALSE(same_secret(kKey + "x", kKey));
  CHECK_FALSE(same_secret(kKey + kKey, kKey));  // a repeat is not a match
  std::string last_differs = kKey;
  last_differs.back() = 'X';
  CHECK_FALSE(same_secret(last_differs, kKey));
  CHECK_FALSE(same_secret("x", ""));
  CHECK(same_secret("", ""));
}

TEST_CASE("check_internal_key exempts only the open paths", "[internal-key]") {
  Request request;
  request.path = "/api/v1/things";
  CHECK(check_internal_key(request, kKey, kOpenPaths) == KeyRefusal::missing);
  request.headers = {{"x-internal-key", ""}};
  CHECK(check_internal_key(request, kKey, kOpenPaths) == KeyRefusal::missing);
  request.headers = {{"X-INTERNAL-KEY", "not-the-key-0123456789"}};
  CHECK(check_internal_key(request, kKey, kOpenPaths) == KeyRefusal::wrong);
  request.headers = {{"x-internal-key", kKey}};
  CHECK_FALSE(check_internal_key(request, kKey, kOpenPaths));

  request.headers.clear();
  for (const char* open : {"/healthz", "/readyz", "/metrics"}) {
    request.path = open;
    CHECK_FALSE(check_internal_key(request, kKey, kOpenPaths));
  }
  for (const char* closed : {"/healthz/", "/metrics/x", "/", "/internal/v1/users/x"}) {
    request.path = closed;
    CHECK(check_internal_key(request, kKey, kOpenPaths) == KeyRefusal::missing);
  }
}

TEST_CASE("a keyed server refuses a request without the key before routing", "[internal-key]") {
  std::atomic<int> handled{0};
  TestServer server(counting_router(handled), keyed_options());
  auto anonymous = server.client();

  SECTION("no key, a forged user, a wrong key, an unknown route: 401, nothing runs") {
    for (const auto& [method, target, headers] :
         std::vector<std::tuple<Method, std::string, HeaderList>>{
             {Method::get, "/api/v1/things", {}},
             {Method::get,
              "/api/v1/things",
              {{"X-User-Id", "0b5e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}}},
             {Method::post, "/internal/v1/things/7/confirm", {}},
             {Method::post,
              "/internal/v1/things/7/confirm",
              {{"X-Internal-Key", "wrong-key-0123456789"}}},
             {Method::get, "/no/such/route", {}},
             {Method::del, "/api/v1/things", {}}}) {
      INFO(target);
      const auto reply = anonymous.send(method, target, {}, {}, headers);
      REQUIRE(reply.ok());
      CHECK(reply->status == 401);
      CHECK(reply->content_type == "application/problem+json");
      CHECK(json_code(reply->body) == "INTERNAL_KEY_INVALID");
    }
    CHECK(handled == 0);
  }
  SECTION("the probes and the metrics answer anyone") {
    for (const char* open : {"/healthz", "/readyz", "/metrics"}) {
      const auto reply = anonymous.send(Method::get, open);
      REQUIRE(reply.ok());
      CHECK(reply->status == 200);
    }
    CHECK(handled == 3);
  }
  SECTION("the right key passes, and a call's own header overrides the client's") {
    auto keyed = keyed_client(server.port(), kKey);
    CHECK(keyed.send(Method::get, "/api/v1/things")->status == 200);
    CHECK(keyed.send(Method::post, "/internal/v1/things/7/confirm")->status == 200);
    CHECK(keyed.send(Method::get, "/no/such/route")->status == 404);  // routed once admitted
    CHECK(keyed
              .send(Method::get, "/api/v1/things", {}, {},
                    {{"x-internal-key", "wrong-key-0123456789"}})
              ->status == 401);
    CHECK(handled == 2);
  }
}

TEST_CASE("a refusal is logged with its reason and without the key", "[internal-key]") {
  char path[] = "/tmp/internal-key-log-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  {
    const ticketing::log::Logger logger("http-test", ticketing::log::Level::info, fd);
    std::atomic<int> handled{0};
    TestServer server(counting_router(handled), keyed_options(), logger);
    const std::string near_miss = kKey.substr(0, kKey.size() - 1) + "X";
    CHECK(keyed_client(server.port(), near_miss).send(Method::get, "/api/v1/things")->status ==
          401);
    CHECK(server.client().send(Method::get, "/api/v1/things")->status == 401);
  }
  ::close(fd);
  const auto log = read_all(path);
  std::remove(path);
  CHECK(log.find(R"("event":"internal_key_refused")") != std::string::npos);
  CHECK(log.find(R"("reason":"wrong")") != std::string::npos);
  CHECK(log.find(R"("reason":"missing")") != std::string::npos);
  CHECK(log.find(kKey.substr(0, 12)) == std::string::npos);
}

TEST_CASE("a server without a key accepts every caller", "[internal-key]") {
  std::atomic<int> handled{0};
  TestServer server(counting_router(handled));
  CHECK(server.client().send(Method::get, "/api/v1/things")->status == 200);
}
