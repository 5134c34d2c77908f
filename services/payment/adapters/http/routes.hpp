#pragma once

#include "application/charge_points.hpp"
#include "application/get_balance.hpp"
#include "application/get_history.hpp"
#include "application/get_payment.hpp"
#include "application/list_payments.hpp"
#include "application/pay_for_reservation.hpp"
#include "application/recall_keyed_outcome.hpp"
#include "idempotency.hpp"
#include "ticketing/http/router.hpp"

namespace payment::http {

// Everything the payment endpoints need, built by main.cpp.
struct Endpoints {
  GetBalance& balance;
  ChargePoints& charge;
  GetHistory& history;
  ListPayments& list_payments;
  PayForReservation& pay;
  GetPayment& get_payment;
  RecallKeyedOutcome& recall;
  Idempotency& idempotency;
};

// User routes (user id in the path): GET /api/v1/users/{userId}/points,
//   POST .../points/charge (Idempotency-Key), GET .../points/history?limit=,
//   GET /api/v1/users/{userId}/payments
// Queue-gated (the user arrives in X-User-Id, set by the gateway):
//   POST /api/v1/payments (Idempotency-Key), GET /api/v1/payments/{paymentId}
ticketing::http::Router make_router(Endpoints endpoints);

}  // namespace payment::http
