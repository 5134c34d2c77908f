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
  TokenState state;
  state.token = require_string(json, "token");
  state.user_id = require_string(json, "userId");
  state.status = require_string(json, "status");
  state.position = require_int64(json, "position");
  state.estimated_wait_seconds = require_int64(json, "estimatedWaitSeconds");
  state.expires_at = require_string_or_null(json, "expiresAt");

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
  return {require_int64(json, "capacity"), require_bool(json, "paused"),
          require_int64(json, "active"), require_int64(json, "waiting")};
}

}  // namespace test_support
