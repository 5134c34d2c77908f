#include "pacing.hpp"

#include <algorithm>
#include <cmath>

namespace queue {

namespace {
std::int64_t within(std::int64_t seconds, std::int64_t ceiling) {
  return std::clamp<std::int64_t>(seconds, 1, std::max<std::int64_t>(1, ceiling));
}
}  // namespace

std::int64_t poll_ceiling(std::int64_t poll_max_seconds, std::int64_t abandon_seconds) {
  // The largest whole number strictly below abandon / 3.
  const std::int64_t below_third = abandon_seconds > 0 ? (abandon_seconds - 1) / 3 : 0;
  return std::max<std::int64_t>(0, std::min(poll_max_seconds, below_third));
}

std::int64_t poll_after_seconds(std::int64_t position, std::int64_t estimated_wait_seconds,
                                std::int64_t ceiling) {
  const auto by_position =
      static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(std::max<std::int64_t>(
          1, position)))));
  const auto by_wait = (std::max<std::int64_t>(0, estimated_wait_seconds) + 2) / 3;
  return within(std::min(by_position, by_wait), ceiling);
}

std::int64_t poll_after_seconds_before_opening(std::int64_t seconds_to_opening,
                                               std::int64_t ceiling) {
  return within(seconds_to_opening, ceiling);
}

}  // namespace queue
