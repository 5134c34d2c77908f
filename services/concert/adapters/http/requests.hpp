#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "application/ports/catalog.hpp"
#include "application/reserve_seat.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"
#include "ticketing/result.hpp"

namespace concert::http {

using ticketing::http::Request;
using ticketing::http::Response;

// Request parsing, one small function per shape. A failure is the problem response to send.
template <class T>
using Parsed = ticketing::Result<T, Response>;

// {"title","price","dates"}: INVALID_REQUEST for shape, title or price; INVALID_DATE for a date.
Parsed<NewConcert> parse_new_concert(std::string_view body);
// {"date","seatNo"} for `user_id`: INVALID_DATE, INVALID_SEAT, INVALID_REQUEST.
Parsed<ReserveSeatCommand> parse_reserve_seat(std::string_view body, std::string user_id);
// {"paymentId"}: 1..255 visible ASCII characters.
Parsed<std::string> parse_confirm(std::string_view body);
// A {paymentId} path parameter: 1..255 visible ASCII characters, else INVALID_REQUEST.
Parsed<std::string> parse_payment_id(std::string_view text);

// A {date} path parameter: INVALID_DATE when malformed.
Parsed<CalendarDate> parse_date(std::string_view text);
// A {reservationId} path parameter: a positive integer, else INVALID_REQUEST.
Parsed<std::int64_t> parse_reservation_id(std::string_view text);

}  // namespace concert::http
