#pragma once

#include <string_view>

#include "domain/payment.hpp"
#include "ticketing/http/response.hpp"

namespace payment::http {

// The one place where payment failures become HTTP statuses and problem codes.
ticketing::http::Response problem_for(PaymentError error);

// 400 INVALID_REQUEST for a body, header or query that is not what the endpoint reads.
ticketing::http::Response invalid_request(std::string_view detail);

// 401 TOKEN_EXPIRED, as the gateway answers it: an ended token asked for more than its replay.
ticketing::http::Response token_expired();

}  // namespace payment::http
