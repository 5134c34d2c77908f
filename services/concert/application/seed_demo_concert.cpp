#include "seed_demo_concert.hpp"

#include "ticketing/wait_for.hpp"

namespace concert {

std::optional<CreatedConcert> SeedDemoConcert::Execute() {
  const auto today = CalendarDate::utc_day_of(clock_());
  NewConcert demo{"Demo Concert", 120000, {}};
  for (int weeks = 1; weeks <= 4; ++weeks) {
    const auto date = today.plus_days(7 * weeks);
    const auto taken = ticketing::wait_for<std::optional<SeatMap>>(
        [&](auto done) { catalog_.seat_map(date, std::move(done)); });
    if (!taken) demo.dates.push_back(date);  // runs once, at start
  }
  if (demo.dates.empty()) return std::nullopt;
  auto created = catalog_.create(demo);
  if (!created) return std::nullopt;  // another replica seeded the same dates first
  return created.value();
}

}  // namespace concert
