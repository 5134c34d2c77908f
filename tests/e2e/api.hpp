#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "support/concert_client.hpp"
#include "support/payment_client.hpp"
#include "support/queue_client.hpp"
#include "support/raw_http.hpp"

namespace e2e {

using test_support::Headers;
using test_support::Reply;

// What the tests may use of the system they talk to. A system of their own is theirs alone; a
// shared gateway (E2E_GATEWAY_URL) has its own admin key and other test cases' concerts.
struct Tenancy {
  // Sent wherever a request carries the tests' admin key (test_support::kTestAdminKey).
  std::string admin_key = test_support::kTestAdminKey;
  // Concert dates are taken from this many days ahead on (see Api::date_in_days).
  int first_day = 0;
  // How long a write takes to show in every replica's seat maps and dates list (the concert
  // service's SEAT_MAP_CACHE_MS, 250 ms by default, with a margin); nothing with one replica.
  std::chrono::milliseconds replica_lag{0};
};

// How a test reaches the gateway. Every request is one raw HTTP/1.1 exchange (all headers of the
// answer are seen). Which path a request takes decides what Prism checks:
//  - send():              a request the document allows, through the Prism with --errors. The
//                         request AND the gateway's answer are checked against
//                         proto-docs/public.openapi.yaml; any violation throws (failing the test).
//  - send_violating():    a request the document forbids on purpose (wrong types, a bad path
//                         parameter, no credentials, an oversized body): --errors would have
//                         Prism answer it itself, so it goes through a reporting Prism instead.
//                         It throws unless Prism saw a request violation (else the request
//                         belongs in send()), and on any violation of the answer: the gateway's
//                         answer is still checked against the document.
//  - send_to_gateway():   straight to the gateway, not checked by Prism: what Prism cannot carry
//                         (malformed JSON, which Prism answers itself) or routes the document does
//                         not have (internal routes, /metrics, unknown paths and methods). Check
//                         answers with require_problem().
// Prism matches application/problem+json answers to application/json content and back, so
// require_problem() checks the Content-Type of every error itself.
class Api {
 public:
  Api(std::uint16_t rejecting_prism_port, std::uint16_t reporting_prism_port,
      std::uint16_t gateway_port, Tenancy tenancy = {})
      : rejecting_prism_port_(rejecting_prism_port),
        reporting_prism_port_(reporting_prism_port),
        gateway_port_(gateway_port),
        tenancy_(std::move(tenancy)) {}

  Reply send(std::string_view method, std::string_view target, std::string_view body = {},
             const Headers& headers = {}) const;
  Reply send_violating(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {}) const;
  Reply send_to_gateway(std::string_view method, std::string_view target,
                        std::string_view body = {}, const Headers& headers = {}) const;
  // The bytes of a whole request as they are, straight to the gateway.
  Reply send_bytes_to_gateway(const std::string& request) const;

  // A date (YYYY-MM-DD, UTC) `days` days into the range this test case may create concerts on:
  // from today on a system of its own, further ahead on a shared gateway.
  std::string date_in_days(int days) const;
  // Waits until a write seen by one replica shows in the others' cached reads.
  void wait_for_replicas() const;

 private:
  Headers for_the_system(const Headers& headers) const;

  std::uint16_t rejecting_prism_port_;
  std::uint16_t reporting_prism_port_;
  std::uint16_t gateway_port_;
  Tenancy tenancy_;
};

// The services' typed clients (support/*_client.hpp) through Api::send: Prism checks every
// exchange they make. A visitor is named by their token, as the gateway wants.
test_support::QueueClient queue_api(const Api& api);
test_support::ConcertClient concert_api(const Api& api);
test_support::PaymentClient payment_api(const Api& api);

// How often `name` occurs among the reply's headers (case-insensitive).
int header_count(const Reply& reply, std::string_view name);

}  // namespace e2e
