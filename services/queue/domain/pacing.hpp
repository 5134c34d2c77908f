#pragma once

#include <cstdint>
#include <string_view>

#include "ticketing/time.hpp"

namespace queue {

using ticketing::TimePoint;

// The longest pollAfterSeconds a visitor may be given: at most `poll_max_seconds`
// (QUEUE_POLL_MAX_SECONDS) and strictly below a third of `abandon_seconds`
// (QUEUE_ABANDON_SECONDS), so a visitor who follows it polls at least three times in every
// abandon window and is never dropped. 0 when no whole second fits (abandon_seconds < 4).
std::int64_t poll_ceiling(std::int64_t poll_max_seconds, std::int64_t abandon_seconds);

// Which of a token's fixed shares is asked for: each is drawn from the token's value
// independently of the other.
enum class PacingShare { return_slot, ceiling_cut };

// A number in [0, 1) fixed by the token's value alone: the same on every replica and every poll,
// and spread evenly over a crowd since token values are random.
double pacing_share(std::string_view token, PacingShare which);

// This token's own ceiling: between three quarters of `ceiling` and `ceiling`, so a crowd that
// is far back (all at the ceiling) does not come back in step.
std::int64_t token_poll_ceiling(std::int64_t ceiling, std::string_view token);

// When a waiting visitor at `position` (1 = next) with `estimated_wait_seconds` should ask
// again: the smaller of the square root of the position and a third of the wait, so it grows
// with both (far back: rarely; next in line or about to be admitted: often), between 1 and
// `ceiling`.
std::int64_t poll_after_seconds(std::int64_t position, std::int64_t estimated_wait_seconds,
                                std::int64_t ceiling);

// Until the opening's draw nobody has a position. Each token returns at its own slots:
// `opens_at` plus its share of a window as long as its own ceiling (token_poll_ceiling),
// repeated every window. So the early crowd polls once a window, spread evenly over it, before
// and at the opening alike, never all in the same second, and keeps its rhythm once placed far
// back. Between 1 and `ceiling`.
std::int64_t poll_after_seconds_before_draw(TimePoint opens_at, TimePoint now,
                                            std::int64_t ceiling, std::string_view token);

}  // namespace queue
