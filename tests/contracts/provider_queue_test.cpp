// Provider side of the pacts with the queue service (payment-service -> queue-service and
// gateway -> queue-service): the real queue service on a throwaway database, verified by
// `pact verifier` against each pact. Provider states are made true through the service's own
// public, admin and internal API and hand the verifier the token or user they made.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "provider_states.hpp"
#include "support/json.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"

namespace {

using contracts::StateValues;
using ticketing::http::Method;

class QueueProvider {
 public:
  QueueProvider()
      : states_({{"a user is registered", [this](const auto&) { return registered_user(); }},
                 {"a token is ACTIVE", [this](const auto&) { return active_token(); }},
                 {"a token is WAITING", [this](const auto&) { return waiting_token(); }},
                 {"a token has expired", [this](const auto&) { return expired_token(); }},
                 // The pact's literal id or token: a fresh database has none of them.
                 {"no user has the id", [](const auto&) { return StateValues{}; }},
                 {"no token has the value", [](const auto&) { return StateValues{}; }}}) {}

  std::uint16_t port() const { return service_.process->port(); }
  const contracts::ProviderStates& states() const { return states_; }

 private:
  StateValues registered_user() { return {{"userId", test_support::issue_token(client_).user_id}}; }

  StateValues active_token() {
    set_paused(false);
    const auto issued = test_support::issue_token(client_);
    // Behind a WAITING token of an earlier state, a new token waits for the next admission.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (status_of(issued.token) != "ACTIVE") {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("never admitted");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {{"token", issued.token}};
  }

  // A paused line admits nobody: the token waits until a later state opens the line again.
  StateValues waiting_token() {
    set_paused(true);
    const auto issued = test_support::issue_token(client_);
    if (issued.state != "WAITING") throw std::runtime_error("issued " + issued.state);
    return {{"token", issued.token}};
  }

  StateValues expired_token() {
    auto values = active_token();
    test_support::expire_token(client_, values.front().second);
    return values;
  }

  void set_paused(bool paused) {
    const auto reply = test_support::call(client_, Method::put, "/api/v1/admin/queue",
                                          paused ? R"({"paused":true})" : R"({"paused":false})",
                                          {{"X-Admin-Key", "test-admin-key"}});
    if (reply.status != 200) throw std::runtime_error("admin queue update: " + reply.body);
  }

  std::string status_of(const std::string& token) {
    const auto reply = test_support::poll_token(client_, token);
    if (reply.status != 200) throw std::runtime_error("poll: " + reply.body);
    return test_support::parse_json(reply.body)["status"].GetString();
  }

  // Admission every 100 ms, so that waiting for an ACTIVE token stays short.
  test_support::QueueService service_{{"QUEUE_ADMIT_INTERVAL_MS", "100"}};
  ticketing::http::Client client_{service_.process->client()};
  contracts::ProviderStates states_;
};

void verify(std::string_view pact_name) {
  QueueProvider provider;
  contracts::require_verified(pact_name, "queue-service", provider.port(), provider.states());
}

}  // namespace

TEST_CASE("queue-service honours its pact with payment-service") {
  verify("payment-service-queue-service");
}

TEST_CASE("queue-service honours its pact with the gateway") { verify("gateway-queue-service"); }
