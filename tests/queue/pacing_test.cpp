// Paced polling (product-spec.md, "Sale day"): every token state says when to ask again, within
// QUEUE_POLL_MAX_SECONDS and below a third of QUEUE_ABANDON_SECONDS.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/child_process.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"

namespace {

rapidjson::Document poll_json(ticketing::http::Client& client, const std::string& token) {
  auto reply = test_support::poll_token(client, token);
  REQUIRE(reply.status == 200);
  return test_support::parse_json(reply.body);
}

}  // namespace

TEST_CASE("Every token state carries pollAfterSeconds, growing with the distance to the front",
          "[pacing]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "1"},
                                      {"QUEUE_POLL_MAX_SECONDS", "5"},
                                      {"QUEUE_ABANDON_SECONDS", "600"}});
  auto client = service.process->client();
  auto active = test_support::issue_token(client);
  std::vector<test_support::IssuedToken> waiting;
  for (int i = 0; i < 40; ++i) waiting.push_back(test_support::issue_token(client));

  const auto first = poll_json(client, active.token);
  CHECK(first["status"].GetString() == std::string("ACTIVE"));
  CHECK(first["pollAfterSeconds"].GetInt64() == 5);
  CHECK(first["soldOut"].IsFalse());
  CHECK(first["opensAt"].IsNull());
  CHECK(first["arrivalNumber"].IsNull());

  std::int64_t previous = 1;
  for (const auto& token : waiting) {
    const auto state = poll_json(client, token.token);
    REQUIRE(state["pollAfterSeconds"].IsInt64());
    const auto after = state["pollAfterSeconds"].GetInt64();
    INFO("position " << state["position"].GetInt64() << ", pollAfterSeconds " << after);
    // Never sooner for someone further back, but for the share of the ceiling (up to a quarter)
    // by which each token's own ceiling keeps the far-back crowd out of step.
    CHECK(4 * after >= 3 * previous);
    CHECK(after <= 5);  // QUEUE_POLL_MAX_SECONDS
    previous = std::max(previous, after);
  }
  CHECK(poll_json(client, waiting.front().token)["pollAfterSeconds"].GetInt64() == 1);
  CHECK(previous > 1);  // the back of a line of 40 is not asked to come every second
}

TEST_CASE("pollAfterSeconds stays below a third of QUEUE_ABANDON_SECONDS", "[pacing]") {
  test_support::QueueService service({{"QUEUE_CAPACITY", "0"},
                                      {"QUEUE_POLL_MAX_SECONDS", "20"},
                                      {"QUEUE_ABANDON_SECONDS", "9"}});
  auto client = service.process->client();
  std::vector<test_support::IssuedToken> waiting;
  for (int i = 0; i < 30; ++i) waiting.push_back(test_support::issue_token(client));
  for (const auto& token : waiting) {
    const auto after = poll_json(client, token.token)["pollAfterSeconds"].GetInt64();
    CHECK(after >= 1);
    CHECK(3 * after < 9);
  }
}

TEST_CASE("A QUEUE_ABANDON_SECONDS that leaves no whole second to poll in is refused", "[pacing]") {
  test_support::ChildProcess queue({QUEUE_SERVICE_BINARY},
                                   {{"QUEUE_ABANDON_SECONDS", "3"},
                                    {"DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"}});
  CHECK(queue.wait_or_kill(std::chrono::seconds(20)) != 0);
  CHECK(queue.output().find("QUEUE_ABANDON_SECONDS") != std::string::npos);
}
