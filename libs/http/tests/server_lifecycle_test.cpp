// The HTTP server's life: stopping, grace, ports, many clients and what it reports.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "demo_server.hpp"

using namespace ticketing::http;
using namespace ticketing::http::test;
using namespace std::chrono_literals;

TEST_CASE("server: stop() lets an in-flight request finish and run() returns", "[server]") {
  std::atomic<bool> started{false};
  Router router;
  router.add(Method::get, "/slow", [&](const Request&) {
    started = true;
    std::this_thread::sleep_for(400ms);
    return json_response(200, "\"done\"");
  });
  router.add(Method::get, "/fast", [](const Request&) { return json_response(200, "1"); });
  auto server = std::make_unique<Server>(test_options(), std::move(router), quiet_logger());
  const auto port = server->port();
  std::thread runner([&] { server->run(); });

  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  Client idle_client(options);
  REQUIRE(
      idle_client.send(Method::get, "/fast").ok());  // leaves an idle keep-alive connection open

  Client client(options);
  std::optional<ticketing::Result<ClientResponse, ClientError>> slow;
  std::thread caller([&] { slow.emplace(client.send(Method::get, "/slow")); });
  while (!started) std::this_thread::sleep_for(1ms);
  const auto stop_at = std::chrono::steady_clock::now();
  server->stop();
  runner.join();
  caller.join();
  const auto took = std::chrono::steady_clock::now() - stop_at;

  REQUIRE(slow.has_value());
  REQUIRE(slow->ok());
  CHECK(slow->value().status == 200);
  CHECK(slow->value().body == "\"done\"");
  CHECK(took < 5s);  // the idle connection did not hold shutdown for the grace period

  // Nobody is listening any more.
  auto after = Client(options).send(Method::get, "/fast");
  CHECK_FALSE(after.ok());
}

TEST_CASE("server: a request outliving shutdown_grace is cut off", "[server]") {
  Router router;
  std::atomic<bool> started{false};
  router.add(Method::get, "/stuck", [&](const Request&) {
    started = true;
    std::this_thread::sleep_for(1500ms);
    return json_response(200, "{}");
  });
  auto options = test_options();
  options.shutdown_grace = 100ms;
  TestServer server(std::move(router), options);
  auto client = server.client();
  std::optional<ticketing::Result<ClientResponse, ClientError>> result;
  std::chrono::steady_clock::time_point stop_at;
  std::chrono::steady_clock::time_point answered_at;
  std::thread caller([&] {
    result.emplace(client.send(Method::get, "/stuck"));
    answered_at = std::chrono::steady_clock::now();
  });
  while (!started) std::this_thread::sleep_for(1ms);
  stop_at = std::chrono::steady_clock::now();
  server.stop();
  caller.join();
  REQUIRE(result.has_value());
  REQUIRE_FALSE(result->ok());
  CHECK(result->error() == ClientError::io_error);
  CHECK(answered_at - stop_at < 1000ms);
}

TEST_CASE("server: stop() before run() makes run() return", "[server]") {
  Server server(test_options(), demo_router(), quiet_logger());
  server.stop();
  const auto start = std::chrono::steady_clock::now();
  server.run();
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("server: a taken port is a clear error", "[server]") {
  TestServer first(demo_router());
  auto options = test_options();
  options.port = first.port();
  try {
    Server second(options, demo_router(), quiet_logger());
    FAIL("expected the bind to fail");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("cannot listen on 127.0.0.1:" +
                                     std::to_string(first.port())) != std::string::npos);
  }
}

TEST_CASE("server: many concurrent clients all succeed", "[server]") {
  auto server_options = test_options();
  server_options.io_threads = 2;
  TestServer server(demo_router(), server_options);
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = server.port();
  Client shared(options);
  std::atomic<int> ok{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const auto id = std::to_string(t) + "-" + std::to_string(i);
        auto response = shared.send(Method::get, "/items/" + id);
        if (response.ok() && response->status == 200 &&
            response->body.find(id) != std::string::npos) {
          ++ok;
        } else {
          ++bad;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 32 * 50);
  CHECK(bad == 0);
  CHECK(shared.connections_opened() <= 64);
}

TEST_CASE("server: on_complete and the access log report each request", "[server]") {
  std::mutex mutex;
  std::vector<std::tuple<Method, std::string, int>> seen;
  auto options = test_options();
  options.on_complete = [&](const CompletedRequest& done) {
    std::lock_guard lock(mutex);
    seen.emplace_back(done.method, std::string(done.route), done.status);
  };
  char path[] = "/tmp/http_access_XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ticketing::log::Logger logger("http-test", ticketing::log::Level::info, fd);
  {
    TestServer server(demo_router(), options, logger);
    auto client = server.client();
    REQUIRE(client.send(Method::get, "/items/7?q=1", {}, "rid-1").ok());
    REQUIRE(client.send(Method::get, "/missing").ok());
    server.stop();
  }
  ::close(fd);
  {
    std::lock_guard lock(mutex);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0] == std::make_tuple(Method::get, std::string("/items/{id}"), 200));
    CHECK(seen[1] == std::make_tuple(Method::get, std::string("unmatched"), 404));
  }
  std::ifstream in(path);
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    if (std::string(doc["event"].GetString()) != "request" || !doc.HasMember("requestId")) continue;
    if (std::string(doc["requestId"].GetString()) != "rid-1") continue;
    found = true;
    CHECK(std::string(doc["method"].GetString()) == "GET");
    CHECK(std::string(doc["path"].GetString()) == "/items/7");
    CHECK(std::string(doc["route"].GetString()) == "/items/{id}");
    CHECK(doc["status"].GetInt() == 200);
    CHECK(doc["durationMs"].IsDouble());
    CHECK(std::string(doc["remote"].GetString()) == "127.0.0.1");
    CHECK(doc["bytesIn"].GetInt() == 0);
    CHECK(doc["bytesOut"].GetInt() > 0);
  }
  CHECK(found);
  std::remove(path);
}
