#include "errors.hpp"

#include "ticketing/http/problem.hpp"

namespace concert::http {

using ticketing::http::problem;
using ticketing::http::Response;

Response problem_for(ConcertError error) {
  switch (error) {
    case ConcertError::invalid_date:
      return problem(400, "INVALID_DATE", "dates are YYYY-MM-DD calendar dates, today or later");
    case ConcertError::invalid_seat:
      return problem(400, "INVALID_SEAT", "seatNo must be an integer from 1 to 50");
    case ConcertError::date_not_found:
      return problem(404, "DATE_NOT_FOUND", "no concert is performed on this date");
    case ConcertError::date_taken:
      return problem(409, "DATE_TAKEN", "a concert is already performed on one of these dates");
    case ConcertError::seat_unavailable:
      return problem(409, "SEAT_UNAVAILABLE", "the seat is held or sold");
    case ConcertError::seat_limit_reached:
      return problem(409, "SEAT_LIMIT_REACHED",
                     "you already hold or own the most seats allowed for this date");
    case ConcertError::reservation_not_found:
      return problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours");
    case ConcertError::reservation_expired:
      return problem(410, "RESERVATION_EXPIRED", "the hold lapsed");
    case ConcertError::reservation_cancelled:
      return problem(409, "RESERVATION_CANCELLED", "the reservation was cancelled");
    case ConcertError::already_confirmed:
      return problem(409, "ALREADY_CONFIRMED", "the reservation was confirmed for another payment");
    case ConcertError::already_paid:
      return problem(409, "ALREADY_PAID", "the reservation is paid and cannot be cancelled");
    case ConcertError::invalid_concert:
      return problem(400, "INVALID_REQUEST", "the concert is not valid");
  }
  return problem(500, "INTERNAL_ERROR", "unexpected error");
}

Response invalid_request(std::string_view detail) {
  return problem(400, "INVALID_REQUEST", detail);
}

}  // namespace concert::http
