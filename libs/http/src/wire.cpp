#include "wire.hpp"

#include <boost/beast/http/error.hpp>
#include <random>

#include "text.hpp"
#include "ticketing/http/problem.hpp"

namespace ticketing::http::wire {

namespace bhttp = boost::beast::http;

namespace {
// Errors from Beast's HTTP parser (as opposed to socket errors and timeouts).
bool is_parse_error(const boost::beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

std::string request_id_of(std::optional<std::string_view> incoming) {
  return incoming && valid_request_id(*incoming) ? std::string(*incoming) : mint_request_id();
}
}  // namespace

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string mint_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < id.size(); i += 16) {
    auto bits = engine();
    for (std::size_t j = 0; j < 16; ++j, bits >>= 4) id[i + j] = kHex[bits & 0xf];
  }
  return id;
}

bool framing_is_sound(const Parser& parser) {
  const auto& message = parser.get();
  if (message.find(bhttp::field::transfer_encoding) == message.end()) return true;
  return parser.chunked() && message.version() >= 11;
}

std::optional<Response> answer_unreadable(const boost::beast::error_code& ec,
                                          std::size_t body_limit) {
  if (ec == bhttp::error::body_limit) {
    return problem(
        413, "PAYLOAD_TOO_LARGE",
        detail::concat({"the request body exceeds ", std::to_string(body_limit), " bytes"}));
  }
  if (ec == bhttp::error::header_limit) {
    return problem(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "the request headers exceed 8 KiB");
  }
  if (is_parse_error(ec) && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return problem(400, "INVALID_REQUEST", "malformed HTTP request");
  }
  return std::nullopt;
}

Exchange refused(const Parser& parser, Response response) {
  Exchange exchange;
  exchange.response = std::move(response);
  auto& request = exchange.request;
  std::optional<std::string_view> incoming;
  if (parser.is_header_done()) {
    const auto& message = parser.get();
    request.method = parse_method(message.method_string());
    request.target = std::string(message.target());
    exchange.version = message.version();
    if (auto id = message.find("X-Request-Id"); id != message.end()) incoming = id->value();
  }
  request.path = request.target.substr(0, request.target.find('?'));
  request.request_id = request_id_of(incoming);
  return exchange;
}

Exchange received(Parser& parser, const std::string& remote, std::uint16_t remote_port) {
  Exchange exchange;
  auto& message = parser.get();
  exchange.version = message.version();
  exchange.keep_alive = message.keep_alive();
  auto& request = exchange.request;
  request.method = parse_method(message.method_string());
  request.target = std::string(message.target());
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote;
  request.remote_port = remote_port;
  request.request_id = request_id_of(request.header("X-Request-Id"));
  return exchange;
}

WireResponse to_wire(Exchange& exchange, std::size_t& bytes_out) {
  auto& response = exchange.response;
  WireResponse out{static_cast<bhttp::status>(response.status), exchange.version};
  const bool bodiless = response.status == 204 || response.status == 304;
  if (!response.content_type.empty() && response.status != 204) {
    out.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.set("X-Request-Id", exchange.request.request_id);
  out.keep_alive(exchange.keep_alive);
  bytes_out = bodiless ? 0 : response.body.size();
  if (!bodiless) {
    out.content_length(bytes_out);
    if (exchange.request.method != Method::head) out.body() = std::move(response.body);
  }
  return out;
}

}  // namespace ticketing::http::wire
