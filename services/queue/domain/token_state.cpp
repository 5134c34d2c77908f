#include "token_state.hpp"

namespace queue {

TokenState describe(const Token& token, const LineSnapshot& snapshot) {
  TokenState state{token, 0, 0};
  if (token.status == TokenStatus::waiting) {
    state.position = position_in_line(token.place, snapshot);
    state.estimated_wait_seconds = estimated_wait_seconds(state.position, snapshot);
  }
  return state;
}

}  // namespace queue
