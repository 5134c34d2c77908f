#pragma once

#include <string_view>

#include "domain/reservation.hpp"
#include "ticketing/http/response.hpp"

namespace concert::http {

// The one place where concert failures become HTTP statuses and problem codes.
ticketing::http::Response problem_for(ConcertError error);

// 400 INVALID_REQUEST for a body or path that is not what the endpoint reads.
ticketing::http::Response invalid_request(std::string_view detail);

}  // namespace concert::http
