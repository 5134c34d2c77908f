#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

// The wire side of a session: what a Beast message becomes, and back. Pure functions, no I/O.
namespace ticketing::http::wire {

using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

// One request and its answer on a connection.
struct Exchange {
  Request request;
  Response response;
  std::string_view route = "unmatched";
  unsigned version = 11;
  bool keep_alive = false;
};

// 1..128 visible ASCII characters: a client's X-Request-Id worth passing on.
bool valid_request_id(std::string_view id);
std::string mint_request_id();

// Whether Beast reads the body as its sender framed it (RFC 9112 6.1, 6.3): a Transfer-Encoding
// must end in chunked, and HTTP/1.0 has none.
bool framing_is_sound(const Parser& parser);

// The answer to a request that could not be read (413, 431 or 400); nullopt when there is nobody
// to answer (a timeout, a reset, a peer that left mid-request).
std::optional<Response> answer_unreadable(const boost::beast::error_code& ec,
                                          std::size_t body_limit);

// The exchange of a refused request: what could be read of it (method, target, request id).
Exchange refused(const Parser& parser, Response response);

// The exchange of a whole request, its message moved out of the parser; not yet routed.
Exchange received(Parser& parser, const std::string& remote, std::uint16_t remote_port);

// The exchange's answer as Beast writes it; `bytes_out` is the body's size.
WireResponse to_wire(Exchange& exchange, std::size_t& bytes_out);

}  // namespace ticketing::http::wire
