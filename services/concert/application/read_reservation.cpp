#include "read_reservation.hpp"

namespace concert {

ticketing::Result<Reservation, ConcertError> ReadReservation::Execute(std::int64_t reservation_id) {
  auto reservation = reservations_.find(reservation_id);
  if (!reservation) return ticketing::fail(ConcertError::reservation_not_found);
  reservation->status = status_at(*reservation, clock_());
  return std::move(*reservation);
}

}  // namespace concert
