#include "queue_checks.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "api_checks.hpp"
#include "json.hpp"
#include "rfc3339.hpp"

namespace test_support {

TokenState require_token_state(const Reply& reply, int status) {
  INFO("body: " << reply.body);
  const auto json = require_json(reply, status);
  TokenState state;
  state.token = require_string(json, "token");
  state.user_id = require_string(json, "userId");
  state.status = require_string(json, "status");
  state.position = require_int64_or_null(json, "position");
  state.estimated_wait_seconds = require_int64_or_null(json, "estimatedWaitSeconds");
  state.expires_at = require_string_or_null(json, "expiresAt");
  state.opens_at = require_string_or_null(json, "opensAt");
  state.sold_out = require_bool(json, "soldOut");
  state.poll_after_seconds = require_int64(json, "pollAfterSeconds");
  state.arrival_number = require_int64_or_null(json, "arrivalNumber");

  CHECK(is_token(state.token));
  CHECK(is_canonical_uuid(state.user_id));
  CHECK(state.poll_after_seconds >= 1);
  if (state.opens_at) CHECK(rfc3339_ms(*state.opens_at).has_value());
  if (state.arrival_number) CHECK(*state.arrival_number >= 1);
  REQUIRE((state.status == "ACTIVE" || state.status == "WAITING"));
  // A place and its estimate come and go together (both null until the opening's draw).
  CHECK(state.position.has_value() == state.estimated_wait_seconds.has_value());
  if (state.status == "ACTIVE") {
    CHECK(state.position == 0);
    CHECK(state.estimated_wait_seconds == 0);
    REQUIRE(state.expires_at.has_value());
    CHECK(rfc3339_ms(*state.expires_at).has_value());
    CHECK_FALSE(state.opens_at.has_value());
  } else if (state.position) {
    CHECK(*state.position >= 1);
    CHECK(state.estimated_wait_seconds >= 1);
    CHECK_FALSE(state.expires_at.has_value());
    CHECK_FALSE(state.opens_at.has_value());
  } else {
    CHECK_FALSE(state.expires_at.has_value());
    CHECK(state.arrival_number.has_value());  // only early tokens wait unplaced
  }
  return state;
}

std::ostream& operator<<(std::ostream& out, const LineView& line) {
  return out << "{capacity " << line.capacity << ", paused " << line.paused << ", active "
             << line.active << ", waiting " << line.waiting << "}";
}

LineControl require_line(const Reply& reply) {
  INFO("body: " << reply.body);
  const auto json = require_json(reply, 200);
  LineControl line;
  line.capacity = require_int64(json, "capacity");
  line.paused = require_bool(json, "paused");
  line.active = require_int64(json, "active");
  line.waiting = require_int64(json, "waiting");
  line.opens_at = require_string_or_null(json, "opensAt");
  if (line.opens_at) CHECK(rfc3339_ms(*line.opens_at).has_value());
  line.sold_out = require_bool(json, "soldOut");
  return line;
}

Opening require_opening(const Reply& reply) {
  INFO("body: " << reply.body);
  const auto json = require_json(reply, 200);
  Opening opening;
  opening.opens_at = require_string(json, "opensAt");
  opening.seed_sha256 = require_string(json, "seedSha256");
  opening.early_count = require_int64(json, "earlyCount");
  opening.seed = require_string_or_null(json, "seed");
  static const std::regex kHex256("[0-9a-f]{64}");
  CHECK(rfc3339_ms(opening.opens_at).has_value());
  CHECK(std::regex_match(opening.seed_sha256, kHex256));
  CHECK(opening.early_count >= 0);
  if (opening.seed) CHECK(std::regex_match(*opening.seed, kHex256));
  return opening;
}

}  // namespace test_support
