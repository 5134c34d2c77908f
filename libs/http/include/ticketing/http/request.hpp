#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ticketing::http {

enum class Method { get, post, put, patch, del, head, options, other };

// "GET", "POST", ... ("OTHER" for Method::other).
std::string_view to_string(Method method);
// Case-sensitive, as HTTP methods are; anything unknown is Method::other.
Method parse_method(std::string_view text);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A request as handlers see it: plain strings, no wire types.
struct Request {
  Method method = Method::get;
  std::string target;  // as sent: path plus optional "?query"
  std::string path;    // target up to '?', not decoded
  std::string query;   // after '?', not decoded, without the '?'
  std::string body;
  std::string request_id;      // X-Request-Id taken from the request or minted by the server
  std::string remote_address;  // peer IP address, without the port
  std::uint16_t remote_port = 0;
  HeaderList headers;  // in arrival order, names as sent
  HeaderList params;   // path parameters filled in by the router, percent-decoded

  // Case-insensitive header lookup; the first header of that name.
  std::optional<std::string_view> header(std::string_view name) const;
  // The router's {name} segment, empty when there is no such parameter.
  std::string_view param(std::string_view name) const;
  // The first `name=value` of the query, percent-decoded ('+' is a space); nullopt when absent.
  // A bare `name` reads as an empty value; a value with a broken escape (`%zz`, `%4`) comes back
  // as sent, like a path parameter, so that validation refuses it rather than see it absent.
  std::optional<std::string> query_param(std::string_view name) const;
};

}  // namespace ticketing::http
