#pragma once

#include <chrono>
#include <string>

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

struct ReserveSeatCommand {
  std::string user_id;  // from the queue token, via the gateway
  CalendarDate date;
  std::int64_t seat_no;
};

struct HoldPolicy {
  std::chrono::seconds hold_ttl{300};
  std::int64_t max_seats_per_user = 4;
};

// A visitor holds a seat for HOLD_TTL_SECONDS.
class ReserveSeat {
 public:
  ReserveSeat(ReservationRepository& reservations, HoldPolicy policy, ClockFn clock)
      : reservations_(reservations), policy_(policy), clock_(std::move(clock)) {}

  // Calls `done` once with the new HELD reservation or the refusal, possibly on another thread.
  void Execute(const ReserveSeatCommand& command, HoldCallback done);

 private:
  ReservationRepository& reservations_;
  HoldPolicy policy_;
  ClockFn clock_;
};

}  // namespace concert
