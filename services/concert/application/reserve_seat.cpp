#include "reserve_seat.hpp"

namespace concert {

void ReserveSeat::Execute(const ReserveSeatCommand& command, HoldCallback done) {
  if (!is_valid_seat_no(command.seat_no)) {
    return done(
        ticketing::Completed<HoldOutcome>::with(ticketing::fail(ConcertError::invalid_seat)));
  }
  reservations_.hold({command.user_id, command.date, static_cast<int>(command.seat_no), clock_(),
                      policy_.hold_ttl, policy_.max_seats_per_user},
                     std::move(done));
}

}  // namespace concert
