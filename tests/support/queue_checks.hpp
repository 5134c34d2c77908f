#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "raw_http.hpp"

namespace test_support {

// Shape checks of the queue service's answers (proto-docs/public.openapi.yaml): members, types
// and internal consistency, with Catch2 REQUIRE/CHECK; each returns what it read.

struct TokenState {
  std::string token;
  std::string user_id;
  std::string status;
  // Both null while the token waits for the opening's draw (product-spec.md, "Sale day").
  std::optional<std::int64_t> position;
  std::optional<std::int64_t> estimated_wait_seconds;
  std::optional<std::string> expires_at;
  std::optional<std::string> opens_at;
  bool sold_out = false;
  std::int64_t poll_after_seconds = 0;
  std::optional<std::int64_t> arrival_number;  // early tokens only
};

// A TokenState answered with `status`: ACTIVE at position 0 with an RFC 3339 expiresAt; WAITING
// from position 1 with expiresAt null; or, before the opening's draw, WAITING with position and
// estimatedWaitSeconds null and an arrival number. Always pollAfterSeconds >= 1, a boolean
// soldOut, opensAt an RFC 3339 time or null (null unless waiting for the opening).
TokenState require_token_state(const Reply& reply, int status);

// The admin view of the line's counts (GET and PUT /api/v1/admin/queue).
struct LineView {
  std::int64_t capacity = -1;
  bool paused = false;
  std::int64_t active = -1;
  std::int64_t waiting = -1;
  bool operator==(const LineView& other) const = default;
};

// The whole admin view: the counts, and the sale day's opening time and sold-out notice.
struct LineControl : LineView {
  std::optional<std::string> opens_at;
  bool sold_out = false;
};

std::ostream& operator<<(std::ostream& out, const LineView& line);

// A LineControl answered with 200.
LineControl require_line(const Reply& reply);

// GET /api/v1/queue/opening: the latest opening and its checkable draw.
struct Opening {
  std::string opens_at;
  std::string seed_sha256;  // 64 lowercase hex digits
  std::int64_t early_count = -1;
  std::optional<std::string> seed;  // 64 lowercase hex digits once the draw is made
};

// An Opening answered with 200.
Opening require_opening(const Reply& reply);

}  // namespace test_support
