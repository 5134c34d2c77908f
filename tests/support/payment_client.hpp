#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "service_client.hpp"

namespace test_support {

// The payment service's operations, each answering the raw reply. The _raw forms send a body as
// it is; `extra` headers (Idempotency-Key, ...) follow the caller's.
class PaymentClient : public ServiceClient {
 public:
  using ServiceClient::ServiceClient;

  Reply points(const std::string& user_id) const;
  Reply charge(const std::string& user_id, std::int64_t amount, const Headers& extra = {}) const;
  Reply charge_raw(const std::string& user_id, std::string_view body,
                   const Headers& extra = {}) const;
  // GET /api/v1/users/{userId}/points/history, `query` ("?limit=1") appended as it is.
  Reply history(const std::string& user_id, std::string_view query = {}) const;
  Reply payments_of(const std::string& user_id) const;
  Reply pay(const Caller& caller, std::int64_t reservation_id, const Headers& extra = {}) const;
  Reply pay_raw(const Headers& headers, std::string_view body) const;
  Reply payment(const Caller& caller, std::string_view payment_id) const;
};

}  // namespace test_support
