#pragma once

#include <chrono>
#include <cstdint>
#include <pqxx/result>
#include <pqxx/row>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "application/ports/reservation_repository.hpp"
#include "domain/calendar_date.hpp"
#include "domain/reservation.hpp"
#include "domain/seat.hpp"
#include "ticketing/db/array_literal.hpp"

namespace concert {

// A date as an element of an array literal ($1::date[]): ticketing::db::array_literal finds it
// by argument-dependent lookup.
inline std::string array_element(const CalendarDate& date) { return date.text(); }

}  // namespace concert

namespace concert::sql {

inline std::int64_t micros(TimePoint at) {
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

inline TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

// A date column read as to_char(..., 'YYYY-MM-DD').
inline CalendarDate date_from(const pqxx::field& field) {
  auto date = CalendarDate::parse(field.as<std::string>());
  if (!date) throw std::runtime_error("concert: unreadable date " + field.as<std::string>());
  return *date;
}

using ticketing::db::array_literal;

// A batch of holds as the array parameters of hold_seats (statements.cpp), element i being
// request i.
struct HoldArrays {
  explicit HoldArrays(const std::vector<HoldRequest>& requests) {
    std::vector<std::string> user_ids;
    std::vector<CalendarDate> days;
    std::vector<std::int64_t> seat_numbers, now_us, expires_us, max_per_user;
    for (const auto& request : requests) {
      user_ids.push_back(request.user_id);
      days.push_back(request.date);
      seat_numbers.push_back(request.seat_no);
      now_us.push_back(micros(request.now));
      expires_us.push_back(micros(request.now + request.hold_ttl));
      max_per_user.push_back(request.max_seats_per_user);
    }
    users = array_literal(user_ids);
    dates = array_literal(days);
    seat_nos = array_literal(seat_numbers);
    nows = array_literal(now_us);
    expiries = array_literal(expires_us);
    limits = array_literal(max_per_user);
  }

  std::string users, dates, seat_nos, nows, expiries, limits;
};

inline SeatStatus seat_status_from(const std::string& text) {
  if (text == "HELD") return SeatStatus::held;
  if (text == "SOLD") return SeatStatus::sold;
  return SeatStatus::available;
}

// A seat from the columns seat_no, price, status, hold_expires_us starting at `first`.
inline Seat seat_from(const pqxx::row& row, int first) {
  Seat seat;
  seat.seat_no = row[first].as<int>();
  seat.price = row[first + 1].as<std::int64_t>();
  seat.status = seat_status_from(row[first + 2].as<std::string>());
  if (!row[first + 3].is_null())
    seat.hold_expires_at = from_micros(row[first + 3].as<std::int64_t>());
  return seat;
}

// A reservation from RESERVATION_COLUMNS (see statements.cpp): id, user_id, concert_id, date,
// seat_no, price, status, expires_us, payment_id.
inline Reservation reservation_from(const pqxx::row& row) {
  Reservation reservation;
  reservation.id = row[0].as<std::int64_t>();
  reservation.user_id = row[1].as<std::string>();
  reservation.concert_id = row[2].as<std::int64_t>();
  reservation.date = date_from(row[3]);
  reservation.seat_no = row[4].as<int>();
  reservation.price = row[5].as<std::int64_t>();
  reservation.status =
      reservation_status_from(row[6].as<std::string>()).value_or(ReservationStatus::expired);
  reservation.expires_at = from_micros(row[7].as<std::int64_t>());
  if (!row[8].is_null()) reservation.payment_id = row[8].as<std::string>();
  return reservation;
}

}  // namespace concert::sql
