#pragma once

#include "domain/token.hpp"
#include "ticketing/http/response.hpp"

namespace queue::http {

// The one place where queue failures become HTTP statuses and problem codes.
ticketing::http::Response problem_for(QueueError error);

// 400 INVALID_REQUEST for a body that is not what the endpoint reads.
ticketing::http::Response invalid_request(std::string_view detail);

}  // namespace queue::http
