#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/time.hpp"

namespace queue {

using ticketing::TimePoint;

// WAITING and ACTIVE tokens are live; EXPIRED (TTL passed or used up by a payment) and DROPPED
// (abandoned while waiting) are ended and never come back.
enum class TokenStatus { waiting, active, expired, dropped };

std::string_view to_string(TokenStatus status);
std::optional<TokenStatus> token_status_from(std::string_view text);

struct Token {
  std::string value;    // 32 lowercase hex digits, unguessable
  std::string user_id;  // canonical UUID
  TokenStatus status = TokenStatus::waiting;
  // Place in line, given at issue: 1, 2, 3, ...; 0 for an early token until the opening's draw
  // gives it one (product-spec.md, "Sale day").
  std::int64_t place = 0;
  std::optional<TimePoint> expires_at;        // set when admitted
  std::optional<std::int64_t> arrival_number;  // 1, 2, 3, ... for early tokens, in order of issue
};

// Stable domain failures; the HTTP adapter alone maps them to status codes.
enum class QueueError {
  invalid_user_id,
  user_not_found,
  token_invalid,
  token_expired,
  token_not_active,
};

// A token's value is 32 lowercase hex digits; anything else cannot be a token of ours.
bool is_well_formed_token(std::string_view value);

// An ACTIVE token whose time is up is expired even before the sweeper marks it.
bool has_lapsed(const Token& token, TimePoint now);

// An early token whose place the opening's draw has not given yet.
bool awaits_draw(const Token& token);

// WAITING, or ACTIVE and not lapsed.
bool is_live(const Token& token, TimePoint now);

// It was ACTIVE at some point (it has an expiry), whatever it is now.
bool was_admitted(const Token& token);

}  // namespace queue
