#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"
#include "ticketing/result.hpp"

namespace payment::http {

using ticketing::http::Request;
using ticketing::http::Response;

// Request parsing, one small function per shape. A failure is the problem response to send.
template <class T>
using Parsed = ticketing::Result<T, Response>;

// {"amount"}: a JSON integer (range checked by the use case), else INVALID_AMOUNT.
Parsed<std::int64_t> parse_charge(std::string_view body);
// {"reservationId"}: a positive integer, else INVALID_REQUEST.
Parsed<std::int64_t> parse_pay(std::string_view body);
// ?limit= 1..100, default 20, else INVALID_REQUEST.
Parsed<int> parse_history_limit(const Request& request);
// A {userId} path parameter: a canonical UUID, else INVALID_USER_ID.
Parsed<std::string> path_user(const Request& request);

}  // namespace payment::http
