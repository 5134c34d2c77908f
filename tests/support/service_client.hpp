#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "raw_http.hpp"

namespace test_support {

// The typed clients of the three services (queue_client.hpp, concert_client.hpp,
// payment_client.hpp) share this base: each operation is one exchange whose reply the test
// checks itself. Clients never assert, so racing threads may call them (see race.hpp).

// One exchange: answered, or thrown when no HTTP answer comes back.
using Send = std::function<Reply(std::string_view method, std::string_view target,
                                 std::string_view body, const Headers& headers)>;

// Who calls a queue-gated route: a user, and their token when the test has one.
struct Caller {
  Caller(std::string user_id_in, std::string token_in = {})  // NOLINT: a user id is a caller
      : user_id(std::move(user_id_in)), token(std::move(token_in)) {}
  // Any visitor of the tests (IssuedToken, e2e::Visitor): its user and token.
  template <class Visitor>
  requires requires(const Visitor& v) {
    { v.user_id } -> std::convertible_to<std::string>;
    { v.token } -> std::convertible_to<std::string>;
  }
  Caller(const Visitor& visitor)  // NOLINT: a visitor is a caller
      : user_id(visitor.user_id), token(visitor.token) {}

  std::string user_id;
  std::string token;
};

// How a client reaches a service: the exchange, and the headers that name a caller.
struct Transport {
  Send send;
  std::function<Headers(const Caller&)> credentials;
};

// Straight to a service process: the caller in X-User-Id as the gateway passes it (and the
// token in Authorization when the caller has one, for the payment service to use it up).
Transport direct_to(std::uint16_t port);
// The same for a process that restarts on another port: `port` is asked at each request.
Transport direct_to(std::function<std::uint16_t()> port);
// Through the gateway by `send`: the caller by their token only (the gateway finds the user).
Transport through_gateway(Send send);

// ADMIN_API_KEY of every service the tests start.
inline constexpr const char* kTestAdminKey = "test-admin-key";
inline Headers admin_key() { return {{"X-Admin-Key", kTestAdminKey}}; }

class ServiceClient {
 public:
  explicit ServiceClient(Transport transport) : transport_(std::move(transport)) {}

  // Any request, for what has no operation (unknown routes, /healthz, /metrics, odd methods).
  Reply send(std::string_view method, std::string_view target, std::string_view body = {},
             const Headers& headers = {}) const {
    return transport_.send(method, target, body, headers);
  }
  Reply get(std::string_view target, const Headers& headers = {}) const {
    return send("GET", target, {}, headers);
  }

 protected:
  // The caller's credentials, then `extra`.
  Headers as(const Caller& caller, const Headers& extra = {}) const;

 private:
  Transport transport_;
};

}  // namespace test_support
