#include "caching_catalog.hpp"

namespace concert {

void CachingCatalog::seat_map(const CalendarDate& date, SeatMapCallback done) {
  using Found = ticketing::Completed<std::optional<SeatMap>>;
  if (auto kept = cache_.find(date)) return done(Found::with(std::move(kept)));
  if (!cache_.enabled()) return inner_.seat_map(date, std::move(done));
  const auto stamp = cache_.stamp(date);
  inner_.seat_map(date, [this, stamp, done = std::move(done)](Found found) {
    std::optional<SeatMap> map;
    try {
      map = std::move(found).get();
    } catch (...) {
      return done(Found::failed(std::current_exception()));
    }
    if (map) cache_.store(*map, stamp);
    done(Found::with(std::move(map)));
  });
}

}  // namespace concert
