#pragma once

#include "clock.hpp"
#include "heartbeats.hpp"
#include "line_view.hpp"
#include "ports/line_repository.hpp"

namespace queue {

// The periodic pass every replica runs (QUEUE_ADMIT_INTERVAL_MS): write the polls seen since the
// last pass, expire, drop and admit, then refresh this replica's view of the line.
class RunAdmission {
 public:
  RunAdmission(LineRepository& line, Heartbeats& heartbeats, LineView& view, AdmissionPolicy policy,
               ClockFn clock)
      : line_(line),
        heartbeats_(heartbeats),
        view_(view),
        policy_(policy),
        clock_(std::move(clock)) {}

  AdmissionReport Execute();

 private:
  LineRepository& line_;
  Heartbeats& heartbeats_;
  LineView& view_;
  AdmissionPolicy policy_;
  ClockFn clock_;
};

}  // namespace queue
