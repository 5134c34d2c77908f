#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/reservation.hpp"
#include "ticketing/completed.hpp"
#include "ticketing/result.hpp"

namespace concert {

struct HoldRequest {
  std::string user_id;
  CalendarDate date;
  int seat_no = 0;
  TimePoint now;
  std::chrono::seconds hold_ttl;
  std::int64_t max_seats_per_user = 4;
};

struct SweepReport {
  std::int64_t lapsed = 0;  // HELD reservations marked EXPIRED and their seats made AVAILABLE
};

using HoldOutcome = ticketing::Result<Reservation, ConcertError>;
using HoldCallback = std::function<void(ticketing::Completed<HoldOutcome>)>;

// Reservations and the seats they hold. Each method is atomic. Exactly one of any number of
// concurrent holds of one seat wins; a hold locks only its seat's row, so holds of different
// seats never wait for each other's rows (a user's own holds of a date are serialised for their
// limit, and an adapter may commit several holds together).
class ReservationRepository {
 public:
  virtual ~ReservationRepository() = default;

  // A new HELD reservation, or date_not_found, seat_unavailable (HELD and live, or SOLD),
  // seat_limit_reached (see domain counts_toward_limit). Asynchronous, so that concurrent holds
  // can share one transaction; `done` runs once, possibly on another thread.
  virtual void hold(const HoldRequest& request, HoldCallback done) = 0;
  virtual std::optional<Reservation> find(std::int64_t reservation_id) = 0;
  virtual std::optional<Reservation> find_by_payment(std::string_view payment_id) = 0;
  // Applies domain decide_cancel: releases a live hold (CANCELLED, seat AVAILABLE).
  // Returns the reservation as it now is; already_paid for a CONFIRMED one; not_found.
  virtual ticketing::Result<Reservation, ConcertError> cancel(std::int64_t reservation_id,
                                                              TimePoint now) = 0;
  // Applies domain decide_confirm: a live hold becomes CONFIRMED for `payment_id` and its seat
  // SOLD; the same payment again is the same success; refusals are reservation_expired,
  // reservation_cancelled, already_confirmed, reservation_not_found.
  virtual ticketing::Result<Reservation, ConcertError> confirm(std::int64_t reservation_id,
                                                               std::string_view payment_id,
                                                               TimePoint now) = 0;
  // Marks lapsed holds EXPIRED and frees their seats (they already read AVAILABLE).
  virtual SweepReport sweep_lapsed(TimePoint now) = 0;
};

}  // namespace concert
