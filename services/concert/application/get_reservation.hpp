#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/reservation_repository.hpp"

namespace concert {

// A visitor reads their reservation; another user's reads as not found.
class GetReservation {
 public:
  GetReservation(ReservationRepository& reservations, ClockFn clock)
      : reservations_(reservations), clock_(std::move(clock)) {}

  // The reservation with its status as of now (a lapsed hold reads EXPIRED).
  ticketing::Result<Reservation, ConcertError> Execute(std::string_view user_id,
                                                       std::int64_t reservation_id);

 private:
  ReservationRepository& reservations_;
  ClockFn clock_;
};

}  // namespace concert
