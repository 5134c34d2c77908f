#include "ticketing/http/request.hpp"

#include <catch2/catch.hpp>

#include "ticketing/http/response.hpp"

using namespace ticketing::http;

TEST_CASE("query_param decodes percent escapes and plus", "[request]") {
  Request request;
  request.query = "limit=20&name=J%C3%BCrgen+M&empty=&bare&bad=%zz&limit=99&a%20b=x&trunc=%4";
  CHECK(request.query_param("limit") == std::optional<std::string>("20"));
  CHECK(request.query_param("name") == std::optional<std::string>("J\xC3\xBCrgen M"));
  CHECK(request.query_param("empty") == std::optional<std::string>(""));
  CHECK(request.query_param("bare") == std::optional<std::string>(""));
  CHECK(request.query_param("bad") == std::optional<std::string>("%zz"));
  CHECK(request.query_param("trunc") == std::optional<std::string>("%4"));
  CHECK(request.query_param("a b") == std::optional<std::string>("x"));
  CHECK_FALSE(request.query_param("missing").has_value());
  CHECK_FALSE(Request{}.query_param("limit").has_value());
}

TEST_CASE("header lookup is case-insensitive, params by name", "[request]") {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Request-Id", "abc"}};
  request.params = {{"userId", "u1"}};
  CHECK(request.header("content-type") == std::optional<std::string_view>("application/json"));
  CHECK(request.header("X-REQUEST-ID") == std::optional<std::string_view>("abc"));
  CHECK_FALSE(request.header("Authorization").has_value());
  CHECK(request.param("userId") == "u1");
  CHECK(request.param("other").empty());
}

TEST_CASE("methods and percent_decode", "[request]") {
  CHECK(parse_method("DELETE") == Method::del);
  CHECK(parse_method("get") == Method::other);
  CHECK(to_string(Method::patch) == "PATCH");
  CHECK(percent_decode("a+b%2Fc", false) == std::optional<std::string>("a+b/c"));
  CHECK(percent_decode("a+b", true) == std::optional<std::string>("a b"));
  CHECK_FALSE(percent_decode("%", false).has_value());
}

TEST_CASE("response helpers", "[request]") {
  auto json = json_response(201, "{}");
  CHECK(json.status == 201);
  CHECK(json.content_type == "application/json; charset=utf-8");
  CHECK(json.body == "{}");
  auto empty = empty_response(204);
  CHECK(empty.status == 204);
  CHECK(empty.body.empty());
}
