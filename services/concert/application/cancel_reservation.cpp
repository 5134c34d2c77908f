#include "cancel_reservation.hpp"

namespace concert {

ticketing::Result<ticketing::Unit, ConcertError> CancelReservation::Execute(
    std::string_view user_id, std::int64_t reservation_id) {
  auto reservation = reservations_.find(reservation_id);
  if (!reservation || reservation->user_id != user_id) {
    return ticketing::fail(ConcertError::reservation_not_found);
  }
  auto cancelled = reservations_.cancel(reservation_id, clock_());
  if (!cancelled) return ticketing::fail(cancelled.error());
  return ticketing::Unit{};
}

}  // namespace concert
