// Token TTL and abandonment with short settings, against the real service and its timer.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"

using namespace std::chrono_literals;

namespace {

// Polls until the token's JSON contains `needle` or `limit` passes.
bool eventually_contains(ticketing::http::Client& client, const std::string& token,
                         const std::string& needle, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (test_support::poll_token(client, token).body.find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

}  // namespace

TEST_CASE("An active token expires after its TTL and the next one is admitted", "[timing]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"},
                                      {"QUEUE_TOKEN_TTL_SECONDS", "1"},
                                      {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  auto client = service.process->client();
  auto first = test_support::issue_token(client);
  auto second = test_support::issue_token(client);
  REQUIRE(first.state == "ACTIVE");
  REQUIRE(second.state == "WAITING");

  CHECK(eventually_contains(client, second.token, "\"ACTIVE\"", 5000ms));
  auto expired = test_support::poll_token(client, first.token);
  CHECK(expired.status == 401);
  CHECK(expired.body.find("TOKEN_EXPIRED") != std::string::npos);
  auto verify = client.send(ticketing::http::Method::get, "/internal/v1/tokens/verify", {}, {},
                            {{"Authorization", "Bearer " + first.token}});
  REQUIRE(verify.ok());
  CHECK(verify->status == 401);
}

TEST_CASE("A waiting token not polled is dropped and does not hold up those behind", "[timing]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"},
                                      {"QUEUE_ABANDON_SECONDS", "4"},  // the least allowed
                                      {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  auto client = service.process->client();
  auto active = test_support::issue_token(client);
  auto abandoned = test_support::issue_token(client);
  auto faithful = test_support::issue_token(client);
  REQUIRE(faithful.position == 2);

  // The faithful visitor keeps polling for 5 s; the other never comes back.
  const auto until = std::chrono::steady_clock::now() + 5000ms;
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(test_support::poll_token(client, faithful.token).status == 200);
    std::this_thread::sleep_for(200ms);
  }
  auto dropped = test_support::poll_token(client, abandoned.token);
  CHECK(dropped.status == 401);
  CHECK(dropped.body.find("TOKEN_EXPIRED") != std::string::npos);
  auto faithful_now =
      test_support::parse_json(test_support::poll_token(client, faithful.token).body);
  CHECK(faithful_now["position"].GetInt64() == 1);

  test_support::expire_token(client, active.token);  // the active visitor pays and leaves
  CHECK(eventually_contains(client, faithful.token, "\"ACTIVE\"", 3000ms));
}
