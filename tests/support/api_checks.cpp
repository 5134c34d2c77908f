#include "api_checks.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <regex>
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

namespace {

// The member `name`, REQUIREd there and of a type `has_type` accepts.
template <class HasType>
const rapidjson::Value& require_member(const rapidjson::Value& json, const char* name,
                                       HasType has_type) {
  INFO("member " << name);
  REQUIRE(json.HasMember(name));
  REQUIRE(has_type(json[name]));
  return json[name];
}

}  // namespace

std::string require_string(const rapidjson::Value& json, const char* name) {
  return require_member(json, name, [](const auto& v) { return v.IsString(); }).GetString();
}

std::int64_t require_int64(const rapidjson::Value& json, const char* name) {
  return require_member(json, name, [](const auto& v) { return v.IsInt64(); }).GetInt64();
}

bool require_bool(const rapidjson::Value& json, const char* name) {
  return require_member(json, name, [](const auto& v) { return v.IsBool(); }).GetBool();
}

const rapidjson::Value& require_array(const rapidjson::Value& json, const char* name) {
  return require_member(json, name, [](const auto& v) { return v.IsArray(); });
}

std::optional<std::string> require_string_or_null(const rapidjson::Value& json, const char* name) {
  const auto& value =
      require_member(json, name, [](const auto& v) { return v.IsString() || v.IsNull(); });
  if (value.IsNull()) return std::nullopt;
  return value.GetString();
}

std::optional<std::int64_t> require_int64_or_null(const rapidjson::Value& json, const char* name) {
  const auto& value =
      require_member(json, name, [](const auto& v) { return v.IsInt64() || v.IsNull(); });
  if (value.IsNull()) return std::nullopt;
  return value.GetInt64();
}

std::string require_operations_endpoints(const ServiceClient& service,
                                         std::initializer_list<const char*> metric_names) {
  const auto health = service.get("/healthz");
  CHECK(health.status == 200);
  CHECK(is_json_content_type(health.content_type()));
  const auto ready = service.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(is_json_content_type(ready.content_type()));
  const auto metrics = service.get("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(lowercase(metrics.content_type()).rfind("text/plain", 0) == 0);
  for (const char* name : metric_names) {
    INFO("metric " << name);
    CHECK(metrics.body.find(name) != std::string::npos);
  }
  return metrics.body;
}

void require_bearer_challenge(const Reply& reply, std::string_view code) {
  require_problem(reply, 401, code);
  const auto challenge = reply.header("WWW-Authenticate");
  REQUIRE(challenge.has_value());
  CHECK(lowercase(*challenge).rfind("bearer", 0) == 0);
}

bool is_canonical_uuid(const std::string& text) {
  static const std::regex pattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_match(text, pattern);
}

bool is_token(const std::string& text) {
  static const std::regex pattern("[0-9a-f]{32}");
  return std::regex_match(text, pattern);
}

std::string uppercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
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
