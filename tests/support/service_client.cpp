#include "service_client.hpp"

namespace test_support {

Transport direct_to(std::uint16_t port) {
  return direct_to([port] { return port; });
}

Transport direct_to(std::function<std::uint16_t()> port) {
  return {[port = std::move(port)](std::string_view method, std::string_view target,
                                   std::string_view body, const Headers& headers) {
            return exchange(port(), method, target, body, headers);
          },
          [](const Caller& caller) {
            Headers headers{{"X-User-Id", caller.user_id}};
            if (!caller.token.empty())
              headers.emplace_back("Authorization", "Bearer " + caller.token);
            return headers;
          }};
}

Transport through_gateway(Send send) {
  return {std::move(send), [](const Caller& caller) {
            return Headers{{"Authorization", "Bearer " + caller.token}};
          }};
}

Headers ServiceClient::as(const Caller& caller, const Headers& extra) const {
  auto headers = transport_.credentials(caller);
  headers.insert(headers.end(), extra.begin(), extra.end());
  return headers;
}

}  // namespace test_support
