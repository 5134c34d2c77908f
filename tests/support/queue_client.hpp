#pragma once

#include <string>
#include <string_view>

#include "service_client.hpp"

namespace test_support {

// The queue service's operations (public, admin and internal), each answering the raw reply.
class QueueClient : public ServiceClient {
 public:
  using ServiceClient::ServiceClient;

  // POST /api/v1/queue/tokens with `body` as it is; issue_token_for names a known user.
  Reply issue_token(std::string_view body = "{}") const;
  Reply issue_token_for(const std::string& user_id) const;
  // GET /api/v1/queue/tokens/me with the token as the bearer.
  Reply poll(const std::string& token) const;
  // GET /api/v1/queue/opening (public, no token).
  Reply opening() const;
  // GET and PUT /api/v1/admin/queue, with the tests' admin key unless `headers` say otherwise.
  Reply queue_control(const Headers& headers = admin_key()) const;
  Reply update_queue_control(std::string_view body, const Headers& headers = admin_key()) const;

  // The internal API the gateway and the payment service call.
  Reply verify(const std::string& token) const;
  Reply expire(const std::string& token) const;
  Reply find_user(const std::string& user_id) const;
};

}  // namespace test_support
