#include "seed_demo_concert.hpp"

namespace concert {

std::optional<CreatedConcert> SeedDemoConcert::Execute() {
  const auto today = CalendarDate::utc_day_of(clock_());
  NewConcert demo{"Demo Concert", 120000, {}};
  for (int weeks = 1; weeks <= 4; ++weeks) {
    const auto date = today.plus_days(7 * weeks);
    if (!catalog_.seat_map(date)) demo.dates.push_back(date);
  }
  if (demo.dates.empty()) return std::nullopt;
  auto created = catalog_.create(demo);
  if (!created) return std::nullopt;  // another replica seeded the same dates first
  return created.value();
}

}  // namespace concert
