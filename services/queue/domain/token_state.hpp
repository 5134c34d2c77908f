#pragma once

#include <cstdint>
#include <optional>

#include "line.hpp"
#include "token.hpp"

namespace queue {

// What a visitor is told about their live token.
struct TokenState {
  Token token;
  std::int64_t position = 0;                // 0 when ACTIVE, >= 1 while WAITING
  std::int64_t estimated_wait_seconds = 0;  // 0 when ACTIVE
};

// The state of a live token; position and wait come from the snapshot for WAITING tokens.
TokenState describe(const Token& token, const LineSnapshot& snapshot);

}  // namespace queue
