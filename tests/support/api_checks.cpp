#include "api_checks.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <set>

#include "json.hpp"

namespace test_support {
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

bool is_json_content_type(std::string_view content_type) {
  const auto type = lowercase(content_type);
  return type.rfind("application/json", 0) == 0 && type.find("charset=utf-8") != std::string::npos;
}

bool is_problem_content_type(std::string_view content_type) {
  return lowercase(content_type).rfind("application/problem+json", 0) == 0;
}

rapidjson::Document require_json(const Reply& reply, int status) {
  INFO("expected " << status << "; got " << reply.status << ", Content-Type '"
                   << reply.content_type() << "', body: " << reply.body.substr(0, 400));
  REQUIRE(reply.status == status);
  CHECK(is_json_content_type(reply.content_type()));
  auto json = parse_json(reply.body);
  REQUIRE(json.IsObject());
  return json;
}

void require_problem(const Reply& reply, int status, std::string_view code) {
  INFO("expected " << status << " " << code << "; got " << reply.status << ", Content-Type '"
                   << reply.content_type() << "', body: " << reply.body.substr(0, 400));
  REQUIRE(reply.status == status);
  CHECK(is_problem_content_type(reply.content_type()));
  rapidjson::Document problem;
  problem.Parse(reply.body.c_str(), reply.body.size());
  REQUIRE_FALSE(problem.HasParseError());
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
  REQUIRE(problem["detail"].IsString());
  CHECK(problem["detail"].GetStringLength() > 0);
}

std::string problem_code(const Reply& reply) {
  rapidjson::Document json;
  json.Parse(reply.body.c_str(), reply.body.size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("code") ||
      !json["code"].IsString()) {
    return {};
  }
  return json["code"].GetString();
}

}  // namespace test_support
