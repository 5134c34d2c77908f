#include "seed_demo_concert.hpp"

#include <future>

namespace concert {

std::optional<CreatedConcert> SeedDemoConcert::Execute() {
  const auto today = CalendarDate::utc_day_of(clock_());
  NewConcert demo{"Demo Concert", 120000, {}};
  for (int weeks = 1; weeks <= 4; ++weeks) {
    const auto date = today.plus_days(7 * weeks);
    std::promise<ticketing::Completed<std::optional<SeatMap>>> lookup;
    catalog_.seat_map(date, [&](auto found) { lookup.set_value(std::move(found)); });
    if (!lookup.get_future().get().get()) demo.dates.push_back(date);  // runs once, at start
  }
  if (demo.dates.empty()) return std::nullopt;
  auto created = catalog_.create(demo);
  if (!created) return std::nullopt;  // another replica seeded the same dates first
  return created.value();
}

}  // namespace concert
