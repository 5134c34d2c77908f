#pragma once

namespace test_support {

// INTERNAL_API_KEY of every service and gateway the tests start (ServiceProcess and
// GatewayProcess pass it). Straight-to-a-service clients send it as the gateway and the payment
// service do: loopback_options() and exchange() add X-Internal-Key unless told otherwise.
inline constexpr const char* kTestInternalKey = "test-internal-key-0123456789abcdef";
inline constexpr const char* kInternalKeyHeader = "X-Internal-Key";

}  // namespace test_support
