#pragma once

#include <functional>

#include "ticketing/time.hpp"

namespace concert {

// Use cases read the time through this so tests can move it.
using ClockFn = std::function<ticketing::TimePoint()>;

inline ClockFn system_clock() {
  return [] { return ticketing::Clock::now(); };
}

}  // namespace concert
