#include "line.hpp"

#include <algorithm>
#include <cmath>

namespace queue {

std::int64_t free_slots(const LineSettings& settings, std::int64_t active) {
  if (settings.paused || settings.awaiting_opening || settings.no_seat_available) return 0;
  return std::max<std::int64_t>(0, settings.capacity - active);
}

std::int64_t admit_on_arrival(const LineSettings& settings, const LineCounters& counters,
                              std::int64_t arriving) {
  if (counters.waiting > 0) return 0;
  return std::min(arriving, free_slots(settings, counters.active));
}

std::int64_t position_in_line(std::int64_t place, const LineSnapshot& snapshot) {
  const auto& dropped = *snapshot.dropped_places;
  const auto dropped_ahead =
      std::lower_bound(dropped.begin(), dropped.end(), place) -
      std::upper_bound(dropped.begin(), dropped.end(), snapshot.served_place);
  // The snapshot may be a tick older than the token row; never report less than "next".
  return std::max<std::int64_t>(1,
                                place - snapshot.served_place - std::max<long>(0, dropped_ahead));
}

std::int64_t estimated_wait_seconds(std::int64_t position, const LineSnapshot& snapshot) {
  double rate = snapshot.admissions_per_second;
  if (rate <= 0) {
    const double ttl = static_cast<double>(std::max<std::int64_t>(1, snapshot.token_ttl.count()));
    rate = static_cast<double>(std::max<std::int64_t>(1, snapshot.settings.capacity)) / ttl;
  }
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(position) / rate));
}

}  // namespace queue
