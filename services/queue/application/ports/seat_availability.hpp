#pragma once

#include <optional>

#include "domain/line.hpp"

namespace queue {

// Whether anything is left to sell: the concert service's seats of dates from today on.
class SeatAvailability {
 public:
  virtual ~SeatAvailability() = default;
  // nullopt when it cannot be known now (the concert service is unreachable): the line then
  // admits as if seats were left (fail open).
  virtual std::optional<SeatCounts> counts() = 0;
};

}  // namespace queue
