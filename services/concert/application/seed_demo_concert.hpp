#pragma once

#include "create_concert.hpp"

namespace concert {

// SEED_DEMO=1: a demo concert on four dates in the coming weeks (7, 14, 21 and 28 days from
// today, UTC), leaving out dates that already have a concert, so restarts and replicas add
// nothing twice.
class SeedDemoConcert {
 public:
  SeedDemoConcert(Catalog& catalog, ClockFn clock) : catalog_(catalog), clock_(std::move(clock)) {}

  // The concert created, or nullopt when every date was taken already.
  std::optional<CreatedConcert> Execute();

 private:
  Catalog& catalog_;
  ClockFn clock_;
};

}  // namespace concert
