#pragma once

#include <cstdint>
#include <optional>

#include "reservation.hpp"

namespace concert {

// A user may hold or own at most `max_per_user` seats of one date.
inline bool seat_limit_reached(std::int64_t held_or_owned, std::int64_t max_per_user) {
  return held_or_owned >= max_per_user;
}

// Whether a reservation counts toward its owner's limit at `now`: live holds and sold seats.
inline bool counts_toward_limit(const Reservation& reservation, TimePoint now) {
  const auto status = status_at(reservation, now);
  return status == ReservationStatus::held || status == ReservationStatus::confirmed;
}

// What cancelling does: a live hold is released; an ended one stays as it is (nothing held);
// a confirmed one cannot be cancelled (it is paid).
enum class CancelDecision { release, nothing_held, paid };
inline CancelDecision decide_cancel(const Reservation& reservation, TimePoint now) {
  switch (status_at(reservation, now)) {
    case ReservationStatus::held:
      return CancelDecision::release;
    case ReservationStatus::confirmed:
      return CancelDecision::paid;
    default:
      return CancelDecision::nothing_held;
  }
}

// The refusal a decision answers with, the same in every repository; nullopt: the reservation
// is answered (after a release, a confirmation or nothing at all).
std::optional<ConcertError> refusal_of(CancelDecision decision);
std::optional<ConcertError> refusal_of(ConfirmDecision decision);

}  // namespace concert
