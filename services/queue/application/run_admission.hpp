#pragma once

#include "clock.hpp"
#include "heartbeats.hpp"
#include "line_view.hpp"
#include "ports/line_repository.hpp"
#include "ports/seat_availability.hpp"

namespace queue {

// The periodic pass every replica runs (QUEUE_ADMIT_INTERVAL_MS): write the polls seen since the
// last pass, expire, drop and admit, then refresh this replica's view of the line.
class RunAdmission {
 public:
  // `seats`: asked once per pass; nullptr when the line need not know (tests without seats).
  RunAdmission(LineRepository& line, Heartbeats& heartbeats, LineView& view, AdmissionPolicy policy,
               ClockFn clock, SeatAvailability* seats = nullptr)
      : line_(line),
        heartbeats_(heartbeats),
        view_(view),
        policy_(policy),
        clock_(std::move(clock)),
        seats_(seats) {}

  AdmissionReport Execute();

 private:
  LineRepository& line_;
  Heartbeats& heartbeats_;
  LineView& view_;
  AdmissionPolicy policy_;
  ClockFn clock_;
  SeatAvailability* seats_;
};

}  // namespace queue
