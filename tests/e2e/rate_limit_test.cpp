// The gateway brakes token issue per client address (ISSUE_RATE_LIMIT_PER_IP, bursts of 5x):
// beyond it, 429 RATE_LIMITED with Retry-After. Everything goes through the Prism with --errors,
// which checks the 429 against the document's RateLimited answer (its Retry-After included).
// All requests come from 127.0.0.1, through Prism: one client address.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;

// 1 issue per second and a burst of 5: 6 issues pass at once, then the brake holds.
constexpr int kIssuesPerSecond = 1;
constexpr int kBurst = 5 * kIssuesPerSecond;

TEST_CASE("Too many token issues from one address are 429 RATE_LIMITED with Retry-After",
          "[e2e][own-system]") {
  System system({.issue_rate_limit_per_ip = kIssuesPerSecond});
  const Api& api = system.api;
  const auto visitor = new_visitor(api);
  const auto again = R"({"userId":")" + visitor.user_id + R"("})";

  // The visitor's own issue used one; the burst lets at least kBurst more through at once.
  int passed = 0;
  bool limited = false;
  for (int issue = 0; issue < 50 && !limited; ++issue) {
    const auto reply = queue_api(api).issue_token(again);
    if (reply.status == 429) {
      limited = true;
      require_problem(reply, 429, "RATE_LIMITED");
      CHECK(reply.header("Retry-After") == "1");
    } else {
      require_status(reply, 200);  // the visitor's live token, returned again
      ++passed;
    }
  }
  REQUIRE(limited);
  CHECK(passed >= kBurst);

  // Only token issue is braked: polls and other routes are not.
  for (int poll = 0; poll < 2 * kBurst; ++poll) {
    require_status(queue_api(api).poll(visitor.token), 200);
  }
  // The brake refills: after a second an issue passes again.
  std::this_thread::sleep_for(1100ms);
  require_status(queue_api(api).issue_token(again), 200);
}

}  // namespace
}  // namespace e2e
