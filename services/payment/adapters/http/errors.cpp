#include "errors.hpp"

#include "ticketing/http/problem.hpp"

namespace payment::http {

using ticketing::http::problem;
using ticketing::http::Response;

Response problem_for(PaymentError error) {
  switch (error) {
    case PaymentError::invalid_user_id:
      return problem(400, "INVALID_USER_ID", "userId must be a UUID in canonical lowercase form");
    case PaymentError::user_not_found:
      return problem(404, "USER_NOT_FOUND", "no user has this id");
    case PaymentError::invalid_amount:
      return problem(400, "INVALID_AMOUNT",
                     "amount must be an integer from 1 to the largest charge");
    case PaymentError::balance_limit_exceeded:
      return problem(409, "BALANCE_LIMIT_EXCEEDED", "the balance would pass its limit");
    case PaymentError::insufficient_balance:
      return problem(402, "INSUFFICIENT_BALANCE", "the balance is lower than the price");
    case PaymentError::reservation_not_found:
      return problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours");
    case PaymentError::reservation_expired:
      return problem(410, "RESERVATION_EXPIRED",
                     "the hold lapsed or was released; nothing is charged");
    case PaymentError::already_paid:
      return problem(409, "ALREADY_PAID", "the reservation is paid already");
    case PaymentError::payment_not_found:
      return problem(404, "PAYMENT_NOT_FOUND", "no such payment of yours");
    case PaymentError::idempotency_key_reused:
      return problem(422, "IDEMPOTENCY_KEY_REUSED",
                     "this Idempotency-Key was used with another body");
    case PaymentError::idempotency_in_progress:
      return problem(409, "IDEMPOTENCY_IN_PROGRESS",
                     "the first request with this Idempotency-Key is still running");
  }
  return problem(500, "INTERNAL_ERROR", "unexpected error");
}

Response invalid_request(std::string_view detail) {
  return problem(400, "INVALID_REQUEST", detail);
}

Response token_expired() {
  auto response = problem(401, "TOKEN_EXPIRED", "the queue token has expired or was used up");
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace payment::http
