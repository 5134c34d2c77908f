#include "queue_checks.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "api_checks.hpp"
#include "json.hpp"
#include "rfc3339.hpp"

namespace test_support {

TokenState require_token_state(const Reply& reply, int status) {
  INFO("body: " << reply.body);
  const auto state = require_view<TokenState>(
      reply, status, Member("token", &TokenState::token), Member("userId", &TokenState::user_id),
      Member("status", &TokenState::status), Member("position", &TokenState::position),
      Member("estimatedWaitSeconds", &TokenState::estimated_wait_seconds),
      Member("expiresAt", &TokenState::expires_at), Member("opensAt", &TokenState::opens_at),
      Member("soldOut", &TokenState::sold_out),
      Member("pollAfterSeconds", &TokenState::poll_after_seconds),
      Member("arrivalNumber", &TokenState::arrival_number));

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
  const auto line = require_view<LineControl>(
      reply, 200, Member("capacity", &LineControl::capacity),
      Member("paused", &LineControl::paused), Member("active", &LineControl::active),
      Member("waiting", &LineControl::waiting), Member("opensAt", &LineControl::opens_at),
      Member("soldOut", &LineControl::sold_out));
  if (line.opens_at) CHECK(rfc3339_ms(*line.opens_at).has_value());
  return line;
}

Opening require_opening(const Reply& reply) {
  INFO("body: " << reply.body);
  const auto opening = require_view<Opening>(reply, 200, Member("opensAt", &Opening::opens_at),
                                             Member("seedSha256", &Opening::seed_sha256),
                                             Member("earlyCount", &Opening::early_count),
                                             Member("seed", &Opening::seed));
  static const std::regex kHex256("[0-9a-f]{64}");
  CHECK(rfc3339_ms(opening.opens_at).has_value());
  CHECK(std::regex_match(opening.seed_sha256, kHex256));
  CHECK(opening.early_count >= 0);
  if (opening.seed) CHECK(std::regex_match(*opening.seed, kHex256));
  return opening;
}

}  // namespace test_support
