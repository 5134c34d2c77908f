#include "find_payment_reservation.hpp"

namespace concert {

ticketing::Result<Reservation, ConcertError> FindPaymentReservation::Execute(
    std::string_view payment_id) {
  auto reservation = reservations_.find_by_payment(payment_id);
  if (!reservation) return ticketing::fail(ConcertError::reservation_not_found);
  reservation->status = status_at(*reservation, clock_());
  return std::move(*reservation);
}

}  // namespace concert
