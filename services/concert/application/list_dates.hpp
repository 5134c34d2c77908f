#pragma once

#include <vector>

#include "clock.hpp"
#include "ports/catalog.hpp"

namespace concert {

// Bookable dates: from today (UTC) on, with at least one AVAILABLE seat, ascending.
class ListDates {
 public:
  ListDates(Catalog& catalog, ClockFn clock) : catalog_(catalog), clock_(std::move(clock)) {}

  std::vector<DateSummary> Execute();

 private:
  Catalog& catalog_;
  ClockFn clock_;
};

}  // namespace concert
