#include "queue_checks.hpp"

#include <catch2/catch.hpp>

#include "api_checks.hpp"
#include "json.hpp"
#include "rfc3339.hpp"

namespace test_support {

TokenState require_token_state(const Reply& reply, int status) {
  INFO("status " << reply.status << ", body: " << reply.body);
  REQUIRE(reply.status == status);
  CHECK(is_json_content_type(reply.content_type()));
  const auto json = parse_json(reply.body);
  REQUIRE(json.IsObject());
  require_members(json,
                  {"token", "userId", "status", "position", "estimatedWaitSeconds", "expiresAt"});
  REQUIRE(json["token"].IsString());
  REQUIRE(json["userId"].IsString());
  REQUIRE(json["status"].IsString());
  REQUIRE(json["position"].IsInt64());
  REQUIRE(json["estimatedWaitSeconds"].IsInt64());
  TokenState state;
  state.token = json["token"].GetString();
  state.user_id = json["userId"].GetString();
  state.status = json["status"].GetString();
  state.position = json["position"].GetInt64();
  state.estimated_wait_seconds = json["estimatedWaitSeconds"].GetInt64();
  if (json["expiresAt"].IsString()) {
    state.expires_at = json["expiresAt"].GetString();
  } else {
    REQUIRE(json["expiresAt"].IsNull());
  }

  CHECK(is_token(state.token));
  CHECK(is_canonical_uuid(state.user_id));
  REQUIRE((state.status == "ACTIVE" || state.status == "WAITING"));
  if (state.status == "ACTIVE") {
    CHECK(state.position == 0);
    CHECK(state.estimated_wait_seconds == 0);
    REQUIRE(state.expires_at.has_value());
    CHECK(rfc3339_ms(*state.expires_at).has_value());
  } else {
    CHECK(state.position >= 1);
    CHECK(state.estimated_wait_seconds >= 1);
    CHECK_FALSE(state.expires_at.has_value());
  }
  return state;
}

std::ostream& operator<<(std::ostream& out, const LineView& line) {
  return out << "{capacity " << line.capacity << ", paused " << line.paused << ", active "
             << line.active << ", waiting " << line.waiting << "}";
}

LineView require_line(const Reply& reply) {
  INFO("status " << reply.status << ", body: " << reply.body);
  REQUIRE(reply.status == 200);
  CHECK(is_json_content_type(reply.content_type()));
  const auto json = parse_json(reply.body);
  REQUIRE(json.IsObject());
  REQUIRE(json.HasMember("capacity"));
  REQUIRE(json["capacity"].IsInt64());
  REQUIRE(json.HasMember("paused"));
  REQUIRE(json["paused"].IsBool());
  REQUIRE(json.HasMember("active"));
  REQUIRE(json["active"].IsInt64());
  REQUIRE(json.HasMember("waiting"));
  REQUIRE(json["waiting"].IsInt64());
  return {json["capacity"].GetInt64(), json["paused"].GetBool(), json["active"].GetInt64(),
          json["waiting"].GetInt64()};
}

}  // namespace test_support
