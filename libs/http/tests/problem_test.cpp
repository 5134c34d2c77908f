#include "ticketing/http/problem.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

using namespace ticketing::http;

TEST_CASE("problem builds an RFC 9457 body", "[problem]") {
  auto response = problem(409, "SEAT_UNAVAILABLE", "seat 7 is \"held\"");
  CHECK(response.status == 409);
  CHECK(response.content_type == "application/problem+json");
  CHECK(
      response.body ==
      R"({"type":"urn:ticketing:problem:seat-unavailable","title":"Seat unavailable","status":409,)"
      R"("detail":"seat 7 is \"held\"","code":"SEAT_UNAVAILABLE"})");

  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["type"].GetString()) == "urn:ticketing:problem:seat-unavailable");
  CHECK(std::string(doc["title"].GetString()) == "Seat unavailable");
  CHECK(doc["status"].GetInt() == 409);
  CHECK(std::string(doc["detail"].GetString()) == "seat 7 is \"held\"");
  CHECK(std::string(doc["code"].GetString()) == "SEAT_UNAVAILABLE");
}

TEST_CASE("problem type and title from codes", "[problem]") {
  CHECK(problem_title("NOT_FOUND") == "Not found");
  CHECK(problem_title("REQUEST_HEADER_FIELDS_TOO_LARGE") == "Request header fields too large");
  CHECK(problem_type("PAYLOAD_TOO_LARGE") == "urn:ticketing:problem:payload-too-large");
  CHECK(problem_title("X") == "X");
}
