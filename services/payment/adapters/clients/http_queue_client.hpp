#pragma once

#include <string_view>

#include "adapters/clients/peer.hpp"
#include "application/ports/remote_services.hpp"
#include "ticketing/http/client.hpp"
#include "ticketing/log/logger.hpp"

namespace payment {

// UserDirectory and QueueTokens over the queue service's internal API:
//   GET  /internal/v1/users/{userId}          -> 200 {"userId"}, 404 USER_NOT_FOUND, 400
//   INVALID_USER_ID POST /internal/v1/tokens/{token}/expire   -> 204, 404 TOKEN_NOT_FOUND
// Thread-safe (the HTTP client pools its connections).
class HttpQueueClient final : public UserDirectory, public QueueTokens {
 public:
  // `logger` (optional, must outlive the client) gets a warning for each expiry that failed,
  // whose reason the bool cannot carry.
  explicit HttpQueueClient(ticketing::http::ClientOptions options, RequestIdSource request_id = {},
                           const ticketing::log::Logger* logger = nullptr);

  // Throws ticketing::DependencyUnavailable when the queue service cannot be asked or answers
  // outside its contract.
  bool exists(std::string_view user_id) override;
  bool expire(std::string_view token) override;

 private:
  ticketing::http::Client client_;
  RequestIdSource request_id_;
  const ticketing::log::Logger* logger_;
};

}  // namespace payment
