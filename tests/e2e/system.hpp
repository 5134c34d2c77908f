#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

// A gateway already running that the tests are pointed at instead of starting a system per test
// case: E2E_GATEWAY_URL (http://127.0.0.1:PORT or http://localhost:PORT) and its admin key
// E2E_ADMIN_API_KEY, e.g. the containers of deploy/containers/test.sh. Unset: none.
struct SharedGateway {
  std::uint16_t port;
  std::string admin_key;
};
std::optional<SharedGateway> shared_gateway();

// Test cases that start, stop or configure processes of their own, set fault points or read a
// service's logs or database are tagged [own-system]; against a shared gateway they are left
// out (`~[own-system]`), and one run anyway fails here rather than pass without testing it.
void require_own_system();

// The system as a client sees it. By default the three services as real processes on throwaway
// databases (ADMIN_API_KEY "test-admin-key", QUEUE_CAPACITY 100000, no demo data) and the real
// nginx gateway in front of them, started for this test case; with E2E_GATEWAY_URL set, the
// shared gateway (System() only). Either way two Prism proxies in front of the gateway check
// the exchanges against proto-docs/public.openapi.yaml (see Api): per test case, or for the
// whole run on a shared gateway. Tests talk to it through `api` only, save those tagged
// [own-system].
class System {
 public:
  // A system of the default settings, or the shared gateway.
  System();
  // A system of these settings, started for this test case ([own-system]).
  explicit System(const SystemSettings& settings);
  ~System();

  // The processes started for this test case ([own-system]).
  test_support::Stack& stack();
  test_support::GatewayProcess& gateway();

 private:
  struct Processes;
  struct Prisms;
  explicit System(std::unique_ptr<Processes> own);
  std::uint16_t gateway_port() const;
  // Who the requests act as on the gateway: the defaults on a system of its own; on a shared
  // one, its admin key and concert dates no other test case of this run takes.
  Tenancy tenancy() const;

  std::unique_ptr<Processes> own_;
  std::shared_ptr<Prisms> prisms_;

 public:
  Api api;
};

inline constexpr const char* kAdminKey = "test-admin-key";

}  // namespace e2e
