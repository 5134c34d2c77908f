#pragma once

#include "clock.hpp"
#include "ports/catalog.hpp"

namespace concert {

// Whether anything is left to sell: seats of dates from today (UTC) on, AVAILABLE and HELD now.
class CountSeats {
 public:
  CountSeats(Catalog& catalog, ClockFn clock) : catalog_(catalog), clock_(std::move(clock)) {}

  SeatCounts Execute();

 private:
  Catalog& catalog_;
  ClockFn clock_;
};

}  // namespace concert
