#pragma once

#include "routes.hpp"

namespace payment::http {

using ticketing::http::Request;
using ticketing::http::Response;

// GET /api/v1/users/{userId}/payments
Response handle_list_payments(ListPayments& list, const Request& request);
// POST /api/v1/payments (Idempotency-Key). With X-Token-Ended (set by the gateway for an ended
// token) only a replay of that token's payment under the same key is answered; anything else 401.
Response handle_pay(PayForReservation& pay, RecallKeyedOutcome& recall, Idempotency& idempotency,
                    const Request& request);
// GET /api/v1/payments/{paymentId}
Response handle_get_payment(GetPayment& get, const Request& request);

}  // namespace payment::http
