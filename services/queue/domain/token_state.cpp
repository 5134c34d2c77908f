#include "token_state.hpp"

#include <algorithm>

#include "pacing.hpp"

namespace queue {

TokenState describe(const Token& token, const LineSnapshot& snapshot, TimePoint now) {
  TokenState state;
  state.token = token;
  state.sold_out = snapshot.sold_out;
  state.poll_after_seconds = std::max<std::int64_t>(1, snapshot.poll_ceiling);
  if (token.status != TokenStatus::waiting) return state;
  if (snapshot.opens_at || awaits_draw(token)) {
    // Nobody has a place until the draw; a stale snapshot may not know the time yet.
    state.position.reset();
    state.estimated_wait_seconds.reset();
    state.opens_at = snapshot.opens_at;
    if (!state.sold_out && snapshot.opens_at) {
      state.poll_after_seconds = poll_after_seconds_before_draw(*snapshot.opens_at, now,
                                                                snapshot.poll_ceiling, token.value);
    } else if (!state.sold_out) {
      state.poll_after_seconds = 1;  // the snapshot lags the token by one pass at most
    }
    return state;
  }
  const auto position = position_in_line(token.place, snapshot);
  const auto wait = estimated_wait_seconds(position, snapshot);
  state.position = position;
  state.estimated_wait_seconds = wait;
  // Sold out: nothing changes soon, the ceiling is soon enough.
  if (!state.sold_out) {
    state.poll_after_seconds =
        poll_after_seconds(position, wait, token_poll_ceiling(snapshot.poll_ceiling, token.value));
  }
  return state;
}

}  // namespace queue
