#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

#include "ticketing/time.hpp"

namespace queue {

// Observed admissions per second over a sliding window, from samples of the line's
// admitted-total counter (which every replica reads, so each replica sees the whole line's rate).
class AdmissionRate {
 public:
  explicit AdmissionRate(std::chrono::seconds window = std::chrono::seconds(60))
      : window_(window) {}

  void sample(ticketing::TimePoint at, std::int64_t admitted_total);
  // 0 until two samples a second or more apart exist.
  double per_second() const;

 private:
  struct Sample {
    ticketing::TimePoint at;
    std::int64_t admitted_total;
  };
  std::chrono::seconds window_;
  std::deque<Sample> samples_;
};

}  // namespace queue
