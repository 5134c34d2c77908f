#pragma once

#include <cstdint>

namespace queue {

// The longest pollAfterSeconds a visitor may be given: at most `poll_max_seconds`
// (QUEUE_POLL_MAX_SECONDS) and strictly below a third of `abandon_seconds`
// (QUEUE_ABANDON_SECONDS), so a visitor who follows it polls at least three times in every
// abandon window and is never dropped. 0 when no whole second fits (abandon_seconds < 4).
std::int64_t poll_ceiling(std::int64_t poll_max_seconds, std::int64_t abandon_seconds);

// When a waiting visitor at `position` (1 = next) with `estimated_wait_seconds` should ask
// again: the smaller of the square root of the position and a third of the wait, so it grows
// with both (far back: rarely; next in line or about to be admitted: often), between 1 and
// `ceiling`.
std::int64_t poll_after_seconds(std::int64_t position, std::int64_t estimated_wait_seconds,
                                std::int64_t ceiling);

// Before the opening's draw nobody has a position: come back at the opening (in
// `seconds_to_opening`, 1 once it is due), at most `ceiling` from now.
std::int64_t poll_after_seconds_before_opening(std::int64_t seconds_to_opening,
                                               std::int64_t ceiling);

}  // namespace queue
