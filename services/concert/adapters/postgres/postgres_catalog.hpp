#pragma once

#include "application/ports/catalog.hpp"
#include "ticketing/db/pool.hpp"

namespace concert {

// Concerts, dates and seats in PostgreSQL (schema concert; statements in statements.cpp).
class PostgresCatalog final : public Catalog {
 public:
  explicit PostgresCatalog(ticketing::db::Pool& pool) : pool_(pool) {}

  ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert& concert) override;
  std::vector<DateSummary> dates_from(const CalendarDate& first, TimePoint now) override;
  std::optional<SeatMap> seat_map(const CalendarDate& date) override;

 private:
  ticketing::db::Pool& pool_;
};

}  // namespace concert
