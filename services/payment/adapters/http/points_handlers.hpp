#pragma once

#include "routes.hpp"

namespace payment::http {

using ticketing::http::Request;
using ticketing::http::Response;

// GET /api/v1/users/{userId}/points
Response handle_balance(GetBalance& balance, const Request& request);
// POST /api/v1/users/{userId}/points/charge (Idempotency-Key)
Response handle_charge(ChargePoints& charge, RecallKeyedOutcome& recall, Idempotency& idempotency,
                       const Request& request);
// GET /api/v1/users/{userId}/points/history?limit=
Response handle_history(GetHistory& history, const Request& request);

}  // namespace payment::http
