#pragma once

#include <cstdint>
#include <optional>

#include "line.hpp"
#include "token.hpp"

namespace queue {

// What a visitor is told about their live token (product-spec.md, the token state).
struct TokenState {
  Token token;
  // 0 when ACTIVE, >= 1 while WAITING; nullopt while the line waits for its opening.
  std::optional<std::int64_t> position = 0;
  std::optional<std::int64_t> estimated_wait_seconds = 0;  // 0 when ACTIVE
  std::optional<TimePoint> opens_at;  // while the line waits for its opening
  bool sold_out = false;
  std::int64_t poll_after_seconds = 1;  // when to ask again
};

// The state of a live token at `now`; position, wait and pacing come from the snapshot.
TokenState describe(const Token& token, const LineSnapshot& snapshot, TimePoint now);

}  // namespace queue
