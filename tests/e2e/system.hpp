#pragma once

#include "api.hpp"
#include "prism_process.hpp"
#include "support/gateway_process.hpp"
#include "support/stack.hpp"

namespace e2e {

// Settings of one system under test (each service's own on top of the Stack's).
struct SystemSettings {
  test_support::Environment payment = {};
  test_support::Environment concert = {};
  // The queue's settings, and whether it asks the concert service for seats left (CONCERT_URL,
  // as every deployment sets it; off unless a test is about the sale day).
  test_support::QueueSettings queue = {};
  // ISSUE_RATE_LIMIT_PER_IP of the gateway; 0 (off) unless a test is about the brake.
  int issue_rate_limit_per_ip = 0;
};

// The system as a client sees it: the three services as real processes on throwaway databases
// (ADMIN_API_KEY "test-admin-key", QUEUE_CAPACITY 100000, no demo data), the real nginx gateway
// in front of them, and two Prism proxies in front of the gateway that check the exchanges
// against proto-docs/public.openapi.yaml (see Api). Tests talk to it through `api` only.
class System {
 public:
  explicit System(const SystemSettings& settings = {});

  test_support::Stack stack;
  test_support::GatewayProcess gateway;

 private:
  PrismProcess rejecting_prism_;
  PrismProcess reporting_prism_;

 public:
  Api api;
};

inline constexpr const char* kAdminKey = "test-admin-key";

}  // namespace e2e
