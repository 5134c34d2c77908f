#pragma once

#include "application/ports/catalog.hpp"
#include "ticketing/batcher.hpp"
#include "ticketing/db/pool.hpp"

namespace concert {

// Concerts, dates and seats in PostgreSQL (schema concert; statements in statements.cpp).
// Seat map reads are batched: concurrent requests share one query for all the dates they ask.
class PostgresCatalog final : public Catalog {
 public:
  static constexpr std::size_t kMaxSeatMapBatch = 256;

  explicit PostgresCatalog(ticketing::db::Pool& pool);

  ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert& concert) override;
  std::vector<DateSummary> dates_from(const CalendarDate& first, TimePoint now) override;
  SeatCounts seat_counts_from(const CalendarDate& first, TimePoint now) override;
  void seat_map(const CalendarDate& date, SeatMapCallback done) override;

 private:
  std::vector<std::optional<SeatMap>> seat_maps(const std::vector<CalendarDate>& dates);

  ticketing::db::Pool& pool_;
  ticketing::Batcher<CalendarDate, std::optional<SeatMap>> seat_map_reads_;  // last: stops first
};

}  // namespace concert
