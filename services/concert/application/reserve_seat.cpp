#include "reserve_seat.hpp"

namespace concert {

ticketing::Result<Reservation, ConcertError> ReserveSeat::Execute(
    const ReserveSeatCommand& command) {
  if (!is_valid_seat_no(command.seat_no)) return ticketing::fail(ConcertError::invalid_seat);
  return reservations_.hold({command.user_id, command.date, static_cast<int>(command.seat_no),
                             clock_(), policy_.hold_ttl, policy_.max_seats_per_user});
}

}  // namespace concert
