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
  std::int64_t position = -1;
  std::int64_t estimated_wait_seconds = -1;
  std::optional<std::string> expires_at;
};

// A TokenState answered with `status`: ACTIVE at position 0 with an RFC 3339 expiresAt, or
// WAITING from position 1 with expiresAt null.
TokenState require_token_state(const Reply& reply, int status);

// The admin view of the line (GET and PUT /api/v1/admin/queue).
struct LineView {
  std::int64_t capacity = -1;
  bool paused = false;
  std::int64_t active = -1;
  std::int64_t waiting = -1;
  bool operator==(const LineView& other) const = default;
};

std::ostream& operator<<(std::ostream& out, const LineView& line);

// A LineView answered with 200.
LineView require_line(const Reply& reply);

}  // namespace test_support
