#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace ticketing::http;
using namespace ticketing::http::test;
using namespace std::chrono_literals;

TEST_CASE("client: from_url", "[client]") {
  auto parsed = ClientOptions::from_url("http://inventory:8082");
  REQUIRE(parsed.ok());
  CHECK(parsed->host == "inventory");
  CHECK(parsed->port == 8082);
  auto slash = ClientOptions::from_url("http://127.0.0.1:9000/");
  REQUIRE(slash.ok());
  CHECK(slash->port == 9000);
  auto default_port = ClientOptions::from_url("http://queue");
  REQUIRE(default_port.ok());
  CHECK(default_port->port == 80);
  CHECK_FALSE(ClientOptions::from_url("https://x:1").ok());
  CHECK_FALSE(ClientOptions::from_url("http://x:0").ok());
  CHECK_FALSE(ClientOptions::from_url("http://x:70000").ok());
  CHECK_FALSE(ClientOptions::from_url("http://x:12ab").ok());
  CHECK_FALSE(ClientOptions::from_url("http://:80").ok());
  CHECK_FALSE(ClientOptions::from_url("http://x:80/api").ok());
  CHECK_FALSE(ClientOptions::from_url("http://con cert:80").ok());
  CHECK_FALSE(ClientOptions::from_url("http://concert\r\nX: y:80").ok());
  CHECK_FALSE(ClientOptions::from_url("http://\x01\xc9:80").ok());
  CHECK(describe(ClientError::timeout) == "request timed out");
}

TEST_CASE("client: request_timeout fires against a slow handler", "[client]") {
  Router router;
  router.add(Method::get, "/sleep", [](const Request&) {
    std::this_thread::sleep_for(1500ms);
    return json_response(200, "{}");
  });
  router.add(Method::get, "/ok", [](const Request&) { return json_response(200, "{}"); });
  TestServer server(std::move(router));
  auto client = server.client(200ms);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(Method::get, "/sleep");
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(response.ok());
  CHECK(response.error() == ClientError::timeout);
  CHECK(took >= 150ms);
  CHECK(took < 1200ms);

  auto after = client.send(Method::get, "/ok");
  REQUIRE(after.ok());
  CHECK(after->status == 200);
}

TEST_CASE("client: connecting to a closed port fails quickly", "[client]") {
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = closed_port();
  Client client(options);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(Method::get, "/");
  REQUIRE_FALSE(response.ok());
  CHECK(response.error() == ClientError::connect_failed);
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("client: a pooled connection closed by the server is retried once, fresh", "[client]") {
  Router router;
  router.add(Method::post, "/echo", [](const Request& r) {
    auto response = json_response(200, r.body);
    response.headers.emplace_back("X-Seen-Type",
                                  std::string(r.header("content-type").value_or("")));
    return response;
  });
  router.add(Method::get, "/id", [](const Request& r) { return json_response(200, r.request_id); });
  auto options = test_options();
  options.idle_timeout = 100ms;
  TestServer server(std::move(router), options);
  auto client = server.client();

  auto first = client.send(Method::post, "/echo", "{\"a\":1}");
  REQUIRE(first.ok());
  CHECK(first->body == "{\"a\":1}");
  std::this_thread::sleep_for(400ms);  // the server drops the idle connection meanwhile
  auto second = client.send(Method::get, "/id", {}, "trace-7");
  REQUIRE(second.ok());
  CHECK(second->status == 200);
  CHECK(second->body == "trace-7");
  CHECK(client.connections_opened() == 2);
}

TEST_CASE("client: large requests and answers arrive whole, in many pieces", "[client]") {
  Router router;
  router.add(Method::post, "/echo", [](const Request& r) { return json_response(200, r.body); });
  router.add(Method::get, "/big", [](const Request&) {
    return json_response(200, "\"" + std::string(3'000'000, 'x') + "\"");
  });
  TestServer server(std::move(router));
  auto client = server.client();

  const std::string body = "\"" + std::string(60'000, 'y') + "\"";
  auto echoed = client.send(Method::post, "/echo", body, "trace-big");
  REQUIRE(echoed.ok());
  CHECK(echoed->status == 200);
  CHECK(echoed->body == body);

  auto big = client.send(Method::get, "/big");
  REQUIRE(big.ok());
  CHECK(big->body.size() == 3'000'002);
  CHECK(big->body.find_first_not_of('x', 1) == 3'000'001);
  CHECK(client.connections_opened() == 1);  // kept alive throughout
}

TEST_CASE("client: a line break in a header is refused before anything is sent", "[client]") {
  Router router;
  router.add(Method::get, "/id", [](const Request& r) { return json_response(200, r.request_id); });
  TestServer server(std::move(router));
  auto client = server.client();
  CHECK_THROWS_AS(client.send(Method::get, "/id", {}, "a\r\nX-Admin-Key: x"),
                  std::invalid_argument);
  CHECK_THROWS_AS(client.send(Method::get, "/id", {}, {}, {{"X-Note", "one\ntwo"}}),
                  std::invalid_argument);
  CHECK(client.connections_opened() == 0);
  auto fine = client.send(Method::get, "/id", {}, "trace-1", {{"X-Note", "one two"}});
  REQUIRE(fine.ok());
  CHECK(fine->body == "trace-1");
}
