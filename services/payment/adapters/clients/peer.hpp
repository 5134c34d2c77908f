#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/http/client.hpp"

namespace payment {

// The X-Request-Id of the request being served, passed on to every internal call. The port
// signatures carry no request id, so clients ask this at each call; empty function or empty
// string: none is sent.
using RequestIdSource = std::function<std::string()>;

namespace peer {

// One path segment, percent-encoded: everything but unreserved characters (RFC 3986).
std::string path_segment(std::string_view text);

// The "code" of an application/problem+json body; nullopt when the body has none.
std::optional<std::string> problem_code(std::string_view body);

// "HTTP 503 (SERVICE_UNAVAILABLE)" or "connection failed", for messages and logs.
std::string describe(
    const ticketing::Result<ticketing::http::ClientResponse, ticketing::http::ClientError>& reply);

}  // namespace peer
}  // namespace payment
