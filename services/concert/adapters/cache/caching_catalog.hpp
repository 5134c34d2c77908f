#pragma once

#include "application/ports/catalog.hpp"
#include "seat_map_cache.hpp"

namespace concert {

// A Catalog that answers seat maps from a SeatMapCache and asks `inner` only on a miss.
// Dates without a concert are never kept (a concert created later shows at once).
class CachingCatalog final : public Catalog {
 public:
  CachingCatalog(Catalog& inner, SeatMapCache& cache) : inner_(inner), cache_(cache) {}

  ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert& concert) override {
    return inner_.create(concert);
  }
  std::vector<DateSummary> dates_from(const CalendarDate& first, TimePoint now) override {
    return inner_.dates_from(first, now);
  }
  SeatCounts seat_counts_from(const CalendarDate& first, TimePoint now) override {
    return inner_.seat_counts_from(first, now);
  }
  void seat_map(const CalendarDate& date, SeatMapCallback done) override;

 private:
  Catalog& inner_;
  SeatMapCache& cache_;
};

}  // namespace concert
