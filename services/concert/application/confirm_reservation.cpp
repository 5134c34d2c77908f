#include "confirm_reservation.hpp"

namespace concert {

ticketing::Result<Reservation, ConcertError> ConfirmReservation::Execute(
    std::int64_t reservation_id, std::string_view payment_id) {
  return reservations_.confirm(reservation_id, payment_id, clock_());
}

}  // namespace concert
