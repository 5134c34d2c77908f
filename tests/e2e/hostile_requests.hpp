#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace e2e {

// One hostile request as raw bytes, and what the gateway must answer it with: `gateway_status`
// exactly (its problem+json), or any answer below 500 (4xx as problem+json) when it is 0. Each
// ends its connection (Connection: close, or a framing error), so reading to the end is bounded.
struct HostileRequest {
  std::string name;
  std::string bytes;
  int gateway_status = 0;
};

// Shapes that make two HTTP parsers disagree on where a request ends (request smuggling):
// Content-Length beside Transfer-Encoding, two lengths, folded and oddly ended header lines,
// broken chunk sizes, unknown codings, and a second request hidden after a chunked body. The
// hidden request asks for `smuggled_path`, POSTs go to `post_target`.
std::vector<HostileRequest> smuggling_requests(std::string_view post_target,
                                               std::string_view smuggled_path);

// One header over the limits, too many headers, request targets over the limits.
std::vector<HostileRequest> oversized_requests();

// Invalid UTF-8, control bytes, NUL and broken percent-encoding in paths, queries and header
// values of real routes (`user_id` and `bearer` make them reach the handlers).
std::vector<HostileRequest> garbled_requests(std::string_view user_id, std::string_view bearer);

}  // namespace e2e
