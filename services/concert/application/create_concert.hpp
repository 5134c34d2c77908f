#pragma once

#include "clock.hpp"
#include "ports/catalog.hpp"

namespace concert {

// Admin: a concert with its dates and 50 seats per date, all or nothing.
class CreateConcert {
 public:
  CreateConcert(Catalog& catalog, ClockFn clock) : catalog_(catalog), clock_(std::move(clock)) {}

  // invalid_date for a date before today (UTC); date_taken if any date has a concert.
  ticketing::Result<CreatedConcert, ConcertError> Execute(const NewConcert& concert);

 private:
  Catalog& catalog_;
  ClockFn clock_;
};

}  // namespace concert
