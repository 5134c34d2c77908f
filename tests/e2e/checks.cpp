#include "checks.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <set>
#include <string>

#include "support/json.hpp"

namespace e2e {
namespace {

// SEAT_UNAVAILABLE -> seat-unavailable
std::string kebab(std::string_view code) {
  std::string out;
  for (char c : code) {
    out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// SEAT_UNAVAILABLE -> Seat unavailable
std::string words(std::string_view code) {
  std::string out;
  for (char c : code) {
    out += c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

void require_status(const test_support::Reply& reply, int status) {
  INFO("body: " << reply.body);
  REQUIRE(reply.status == status);
}

rapidjson::Document json_of(const test_support::Reply& reply) {
  rapidjson::Document document;
  document.Parse(reply.body.c_str(), reply.body.size());
  INFO("body: " << reply.body);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

void require_problem(const test_support::Reply& reply, int status, std::string_view code) {
  INFO("expected " << status << " " << code << ", got " << reply.status << " " << reply.body);
  REQUIRE(reply.status == status);
  CHECK(reply.content_type().rfind("application/problem+json", 0) == 0);
  const auto problem = json_of(reply);
  REQUIRE(problem.IsObject());
  std::set<std::string> members;
  for (const auto& member : problem.GetObject()) members.insert(member.name.GetString());
  REQUIRE(members == std::set<std::string>{"type", "title", "status", "detail", "code"});
  REQUIRE(problem["type"].IsString());
  REQUIRE(problem["title"].IsString());
  REQUIRE(problem["status"].IsInt());
  REQUIRE(problem["code"].IsString());
  CHECK(std::string(problem["code"].GetString()) == code);
  CHECK(std::string(problem["type"].GetString()) == "urn:ticketing:problem:" + kebab(code));
  CHECK(std::string(problem["title"].GetString()) == words(code));
  CHECK(problem["status"].GetInt() == status);
  CHECK(problem["detail"].IsString());
  CHECK(problem["detail"].GetStringLength() > 0);
}

}  // namespace e2e
