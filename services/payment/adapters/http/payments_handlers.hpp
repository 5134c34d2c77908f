#pragma once

#include "routes.hpp"

namespace payment::http {

using ticketing::http::Request;
using ticketing::http::Response;

Response handle_balance(GetBalance& balance, const Request& request);
Response handle_charge(ChargePoints& charge, RecallKeyedOutcome& recall,
                       Idempotency& idempotency, const Request& request);
Response handle_history(GetHistory& history, const Request& request);
Response handle_list_payments(ListPayments& list, const Request& request);
// With X-Token-Ended (set by the gateway for an ended token) only a replay of the payment made
// with that token under the request's Idempotency-Key is answered; anything else 401.
Response handle_pay(PayForReservation& pay, RecallKeyedOutcome& recall, Idempotency& idempotency,
                    const Request& request);
Response handle_get_payment(GetPayment& get, const Request& request);

}  // namespace payment::http
