#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

// A visitor lets go of their hold. Idempotent; a paid reservation cannot be cancelled.
class CancelReservation {
 public:
  CancelReservation(ReservationRepository& reservations, ClockFn clock)
      : reservations_(reservations), clock_(std::move(clock)) {}

  ticketing::Result<ticketing::Unit, ConcertError> Execute(std::string_view user_id,
                                                           std::int64_t reservation_id);

 private:
  ReservationRepository& reservations_;
  ClockFn clock_;
};

}  // namespace concert
