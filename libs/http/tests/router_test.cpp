#include "ticketing/http/router.hpp"

#include <catch2/catch.hpp>

using namespace ticketing::http;

namespace {

Router::Handler returns(std::string body) {
  return [body](const Request&) { return json_response(200, body); };
}

std::string call(const Router::Match& match) { return (*match.handler)(Request{}).body; }

}  // namespace

TEST_CASE("router matches literal paths and extracts decoded params", "[router]") {
  Router router;
  router.add(Method::get, "/api/v1/reservations/{reservationId}", returns("one"));
  router.add(Method::get, "/api/v1/users/{userId}/points/history", returns("history"),
             Router::Execution::inline_io);

  auto match = router.match(Method::get, "/api/v1/reservations/42");
  REQUIRE(match.ok());
  CHECK(call(match.value()) == "one");
  CHECK(match->route == "/api/v1/reservations/{reservationId}");
  CHECK(match->execution == Router::Execution::blocking);
  REQUIRE(match->params.size() == 1);
  CHECK(match->params[0].first == "reservationId");
  CHECK(match->params[0].second == "42");

  auto history = router.match(Method::get, "/api/v1/users/a%20b/points/history");
  REQUIRE(history.ok());
  CHECK(history->execution == Router::Execution::inline_io);
  CHECK(history->params[0].second == "a b");
}

TEST_CASE("router requires exact segments", "[router]") {
  Router router;
  router.add(Method::get, "/a/{id}", returns("a"));
  router.add(Method::get, "/", returns("root"));
  CHECK(router.match(Method::get, "/a/1").ok());
  CHECK(router.match(Method::get, "/").ok());
  CHECK(call(router.match(Method::get, "/").value()) == "root");
  for (const char* path : {"/a/1/", "/a/1/x", "/a", "/a/", "/b/1", "", "a/1", "//a/1"}) {
    INFO(path);
    auto miss = router.match(Method::get, path);
    REQUIRE_FALSE(miss.ok());
    CHECK(miss.error().status == 404);
  }
}

TEST_CASE("literal segments win over params", "[router]") {
  Router router;
  router.add(Method::get, "/concerts/{id}/seats", returns("param"));
  router.add(Method::get, "/concerts/dates/seats", returns("literal"));
  router.add(Method::get, "/x/{a}/{b}", returns("params"));
  router.add(Method::get, "/x/{a}/lit", returns("second-literal"));
  router.add(Method::get, "/x/lit/{b}", returns("first-literal"));

  CHECK(call(router.match(Method::get, "/concerts/dates/seats").value()) == "literal");
  CHECK(call(router.match(Method::get, "/concerts/7/seats").value()) == "param");
  CHECK(call(router.match(Method::get, "/x/lit/lit").value()) == "first-literal");
  CHECK(call(router.match(Method::get, "/x/1/lit").value()) == "second-literal");
  CHECK(call(router.match(Method::get, "/x/1/2").value()) == "params");
}

TEST_CASE("a literal route without the method does not hide a param route with it", "[router]") {
  Router router;
  router.add(Method::get, "/items/{id}", returns("get-param"));
  router.add(Method::post, "/items/special", returns("post-literal"));
  CHECK(call(router.match(Method::get, "/items/special").value()) == "get-param");
  CHECK(call(router.match(Method::post, "/items/special").value()) == "post-literal");
}

TEST_CASE("wrong method is 405 with the allowed methods, unknown path is 404", "[router]") {
  Router router;
  router.add(Method::get, "/r/{id}", returns("get"));
  router.add(Method::del, "/r/{id}", returns("del"));
  router.add(Method::post, "/r", returns("post"));

  auto miss = router.match(Method::put, "/r/9");
  REQUIRE_FALSE(miss.ok());
  CHECK(miss.error().status == 405);
  CHECK(allow_header(miss.error().allowed) == "GET, HEAD, DELETE");

  auto response = miss_response(miss.error(), Method::put, "/r/9");
  CHECK(response.status == 405);
  CHECK(response.content_type == "application/problem+json");
  REQUIRE(response.headers.size() == 1);
  CHECK(response.headers[0].first == "Allow");
  CHECK(response.headers[0].second == "GET, HEAD, DELETE");
  CHECK(response.body.find("\"code\":\"METHOD_NOT_ALLOWED\"") != std::string::npos);

  auto missing = router.match(Method::get, "/nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().status == 404);
  CHECK(miss_response(missing.error(), Method::get, "/nope").body.find("\"code\":\"NOT_FOUND\"") !=
        std::string::npos);

  // HEAD is served by the GET route.
  auto head = router.match(Method::head, "/r/1");
  REQUIRE(head.ok());
  CHECK(call(head.value()) == "get");
}

TEST_CASE("router rejects malformed and duplicate patterns", "[router]") {
  Router router;
  router.add(Method::get, "/a/{id}", returns("a"));
  CHECK_THROWS_AS(router.add(Method::get, "/a/{id}", returns("again")), std::invalid_argument);
  CHECK_NOTHROW(router.add(Method::post, "/a/{id}", returns("post")));
  CHECK_THROWS_AS(router.add(Method::get, "a/b", returns("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add(Method::get, "/a/{}", returns("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add(Method::get, "/a/x{id}", returns("x")), std::invalid_argument);
  CHECK_THROWS_AS(router.add(Method::get, "/b", Router::Handler{}), std::invalid_argument);
}

TEST_CASE("router survives a move with its route names intact", "[router]") {
  Router router;
  router.add(Method::get, "/short/{id}", returns("s"));
  Router moved = std::move(router);
  auto match = moved.match(Method::get, "/short/1");
  REQUIRE(match.ok());
  CHECK(match->route == "/short/{id}");
}
