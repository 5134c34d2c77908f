#pragma once

#include <functional>
#include <string_view>

#include "ticketing/time.hpp"

namespace payment {

// Use cases read the time through this so tests can move it.
using ClockFn = std::function<ticketing::TimePoint()>;

inline ClockFn system_clock() {
  return [] { return ticketing::Clock::now(); };
}

// Called at named points (the saga's after_debit, after_confirm, after_token_expiry; a charge's
// after_charge, between its commit and its answer). Does
// nothing in production; crash tests make it end the process abruptly at one of them.
using FaultPoint = std::function<void(std::string_view point)>;

inline FaultPoint no_faults() {
  return [](std::string_view) {};
}

}  // namespace payment
