#pragma once

#include <string>
#include <string_view>

#include "ticketing/http/response.hpp"

namespace ticketing::http {

// RFC 9457 application/problem+json:
// {"type":"urn:ticketing:problem:seat-unavailable","title":"Seat unavailable","status":409,
//  "detail":"...","code":"SEAT_UNAVAILABLE"}
Response problem(int status, std::string_view code, std::string_view detail);

// "SEAT_UNAVAILABLE" -> "urn:ticketing:problem:seat-unavailable"
std::string problem_type(std::string_view code);
// "SEAT_UNAVAILABLE" -> "Seat unavailable"
std::string problem_title(std::string_view code);

}  // namespace ticketing::http
