#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

// The payment service confirms a hold for a payment: atomically HELD and not lapsed becomes
// CONFIRMED and the seat SOLD. Idempotent for the same payment id.
class ConfirmReservation {
 public:
  ConfirmReservation(ReservationRepository& reservations, ClockFn clock)
      : reservations_(reservations), clock_(std::move(clock)) {}

  ticketing::Result<Reservation, ConcertError> Execute(std::int64_t reservation_id,
                                                       std::string_view payment_id);

 private:
  ReservationRepository& reservations_;
  ClockFn clock_;
};

}  // namespace concert
