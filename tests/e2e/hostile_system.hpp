#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/gateway_process.hpp"
#include "support/queue_api.hpp"
#include "support/raw_http.hpp"
#include "support/service_on_database.hpp"

namespace e2e {

// A path the gateway routes nowhere (404): a request for it that shows up in a service's access
// log got past the gateway's parser hidden inside another request.
inline constexpr std::string_view kSmuggledPath = "/internal/v1/smuggled-past-the-gateway";

// A port under test and what to call it in messages.
struct Target {
  std::string name;
  std::uint16_t port;
};

// What came back on one connection.
struct Exchange {
  std::vector<test_support::Reply> replies;  // every whole answer, in order
  bool closed = false;                       // the peer closed it within the time allowed
};

// The system under hostile HTTP: the three services on throwaway databases with their access
// logs on (to see which requests reached them) and the real gateway in front. No Prism: it
// cannot carry malformed bytes. Counts the hostile requests a test tries.
class HostileSystem {
 public:
  HostileSystem();

  Target gateway_target() const { return {"gateway", gateway.port()}; }
  // The services' own ports: their HTTP server must withstand the same bytes.
  std::vector<Target> service_targets() const;
  // The gateway, then each service.
  std::vector<Target> all_targets() const;
  // What each service wrote so far, its access log among it.
  std::vector<std::string> service_outputs() const;
  // A new user with an ACTIVE token (for routes behind the gateway's token check).
  test_support::IssuedToken visitor();

  // Sends `bytes` on a connection of their own and counts them as one request tried.
  Exchange send_alone(std::uint16_t port, const std::string& bytes);
  void count_tried(int requests) { tried_ += requests; }
  int tried() const { return tried_; }

  test_support::QueueService queue;
  test_support::ConcertService concert;
  test_support::PaymentService payment;
  test_support::GatewayProcess gateway;

 private:
  int tried_ = 0;
};

// Every hostile test ends here: the gateway and each service still answer GET /healthz 200, no
// service ever answered a 5xx (its metrics), none saw a request for kSmuggledPath (its access
// log), and the gateway got no 5xx from upstream (its access log). Prints the count tried.
void require_unharmed(HostileSystem& system, std::string_view test_name);

// A 4xx problem+json answer whatever its code: the Problem members, valid UTF-8 JSON.
void require_client_error(const test_support::Reply& reply);

}  // namespace e2e
