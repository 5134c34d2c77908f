#pragma once

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

// The payment service reads a reservation before charging: owner, price, status as of now.
class ReadReservation {
 public:
  ReadReservation(ReservationRepository& reservations, ClockFn clock)
      : reservations_(reservations), clock_(std::move(clock)) {}

  ticketing::Result<Reservation, ConcertError> Execute(std::int64_t reservation_id);

 private:
  ReservationRepository& reservations_;
  ClockFn clock_;
};

}  // namespace concert
