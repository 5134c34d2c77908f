#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

// Payment recovery asks what became of the reservation confirmed for a payment id.
class FindPaymentReservation {
 public:
  FindPaymentReservation(ReservationRepository& reservations, ClockFn clock)
      : reservations_(reservations), clock_(std::move(clock)) {}

  // The reservation confirmed for this payment, or reservation_not_found if none was.
  ticketing::Result<Reservation, ConcertError> Execute(std::string_view payment_id);

 private:
  ReservationRepository& reservations_;
  ClockFn clock_;
};

}  // namespace concert
