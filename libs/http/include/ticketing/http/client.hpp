#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ticketing/http/request.hpp"
#include "ticketing/result.hpp"

namespace ticketing::http {

struct ClientOptions {
  std::string host;
  std::uint16_t port = 80;
  std::chrono::milliseconds connect_timeout{1000};  // name resolution plus TCP connect
  std::chrono::milliseconds request_timeout{3000};  // writing the request plus reading the response
  std::size_t max_idle_connections = 32;
  // Sent on every request (e.g. X-Internal-Key to a peer service), unless the call's own
  // extra_headers name the same header.
  HeaderList headers;

  // "http://host:port" (port defaults to 80, one trailing '/' allowed).
  static Result<ClientOptions, std::string> from_url(std::string_view url);
};

struct ClientResponse {
  int status = 0;
  std::string body;
  std::string content_type;
};

enum class ClientError {
  connect_failed,  // could not resolve or connect (or connecting timed out): nothing was sent
  timeout,         // request_timeout passed before the whole response arrived
  io_error,        // the connection broke or the response was not valid HTTP
};

std::string_view describe(ClientError error);

// Synchronous HTTP/1.1 client for service-to-service calls from blocking worker threads.
// Thread-safe; keeps up to max_idle_connections keep-alive connections and reuses them.
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends X-Request-Id when request_id is given and Content-Type: application/json with a body;
  // options().headers and extra_headers are added as given (not Host, Content-Type or
  // Content-Length, which are set here). A header name or value with a line break throws
  // std::invalid_argument. A reused connection that the peer closed before any response byte is
  // retried once on a fresh connection.
  Result<ClientResponse, ClientError> send(
      Method method, std::string_view target, std::string_view body = {},
      std::string_view request_id = {},
      std::vector<std::pair<std::string, std::string>> extra_headers = {});

  const ClientOptions& options() const;
  // Connection attempts so far, successful or not (for tests and diagnostics).
  std::size_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketing::http
