#pragma once

#include "routes.hpp"

namespace payment::http {

using ticketing::http::Request;
using ticketing::http::Response;

Response handle_balance(GetBalance& balance, const Request& request);
Response handle_charge(ChargePoints& charge, Idempotency& idempotency, const Request& request);
Response handle_history(GetHistory& history, const Request& request);
Response handle_list_payments(ListPayments& list, const Request& request);
Response handle_pay(PayForReservation& pay, Idempotency& idempotency, const Request& request);
Response handle_get_payment(GetPayment& get, const Request& request);

}  // namespace payment::http
