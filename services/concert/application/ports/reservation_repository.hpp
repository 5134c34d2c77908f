#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/reservation.hpp"
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

// Reservations and the seats they hold. Each method is atomic. Exactly one of any number of
// concurrent holds of one seat wins, and holds of different seats never wait for each other
// (only the seat's own row is locked; a user's own requests are serialised for their limit).
class ReservationRepository {
 public:
  virtual ~ReservationRepository() = default;

  // A new HELD reservation, or date_not_found, seat_unavailable (HELD and live, or SOLD),
  // seat_limit_reached (see domain counts_toward_limit).
  virtual ticketing::Result<Reservation, ConcertError> hold(const HoldRequest& request) = 0;
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
