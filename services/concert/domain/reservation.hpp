#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "calendar_date.hpp"
#include "seat.hpp"

namespace concert {

enum class ReservationStatus { held, confirmed, expired, cancelled };
std::string_view to_string(ReservationStatus status);
std::optional<ReservationStatus> reservation_status_from(std::string_view text);

struct Reservation {
  std::int64_t id = 0;
  std::string user_id;
  std::int64_t concert_id = 0;
  CalendarDate date;
  int seat_no = 0;
  std::int64_t price = 0;
  ReservationStatus status = ReservationStatus::held;
  TimePoint expires_at;                   // when the hold lapses
  std::optional<std::string> payment_id;  // set when CONFIRMED
};

// A HELD reservation past its expiry is EXPIRED, whether or not the sweeper has marked it.
ReservationStatus status_at(const Reservation& reservation, TimePoint now);

// Stable domain failures; the HTTP adapter alone maps them to statuses and codes.
enum class ConcertError {
  invalid_date,
  invalid_seat,
  date_not_found,
  date_taken,
  seat_unavailable,
  seat_limit_reached,
  reservation_not_found,
  reservation_expired,  // the hold lapsed
  reservation_cancelled,
  already_confirmed,  // confirmed for another payment
  already_paid,       // a confirmed reservation cannot be cancelled
  invalid_concert,    // admin input: title, price or dates unusable
};

// Why a HELD reservation may or may not be confirmed for `payment_id` at `now`.
enum class ConfirmDecision { confirm, already_done, lapsed, cancelled, taken_by_other_payment };
ConfirmDecision decide_confirm(const Reservation& reservation, std::string_view payment_id,
                               TimePoint now);

}  // namespace concert
