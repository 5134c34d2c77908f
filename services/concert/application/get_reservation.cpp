#include "get_reservation.hpp"

namespace concert {

ticketing::Result<Reservation, ConcertError> GetReservation::Execute(std::string_view user_id,
                                                                     std::int64_t reservation_id) {
  auto reservation = reservations_.find(reservation_id);
  if (!reservation || reservation->user_id != user_id) {
    return ticketing::fail(ConcertError::reservation_not_found);
  }
  reservation->status = status_at(*reservation, clock_());
  return std::move(*reservation);
}

}  // namespace concert
