// When a service behind the gateway fails. The payment service's concert peer hangs (a
// SilentListener): a payment waits DOWNSTREAM_TIMEOUT_MS and is 503 SERVICE_UNAVAILABLE, and a
// repeat with its Idempotency-Key meanwhile is 409 IDEMPOTENCY_IN_PROGRESS. Then services are
// stopped one by one: the gateway answers 502 BAD_GATEWAY for a route whose service is down and
// 503 SERVICE_UNAVAILABLE with Retry-After for a queue-gated route when the queue cannot check
// the token. All these requests are ones the document allows: all go through the Prism with
// --errors, which checks each answer.
//
// Error codes of the spec and README that no e2e test produces, and why:
//  - 503 SERVICE_UNAVAILABLE answered by a service because its own database cannot be reached:
//    the services' databases are throwaways on the test cluster shared with every other test,
//    and the cluster cannot be stopped for one test. The same code and shape are covered here
//    from the gateway and from the payment service (its peer hangs).
//  - 401 TOKEN_EXPIRED because a token's TTL passed or a WAITING token was abandoned: the code is
//    covered (a token used up by a payment, journey_test.cpp), but test_support::Stack fixes the
//    queue's settings (QUEUE_TOKEN_TTL_SECONDS, QUEUE_ABANDON_SECONDS), so the timings are left to
//    tests/queue.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>

#include "checks.hpp"
#include "silent_listener.hpp"
#include "steps.hpp"
#include "system.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;

constexpr auto kDownstreamTimeout = 3s;

std::string code_of(const Reply& reply) {
  const auto problem = json_of(reply);
  return problem.HasMember("code") ? problem["code"].GetString() : "";
}

TEST_CASE("Failing services behind the gateway are 409, 502 and 503 problem+json",
          "[e2e][own-system]") {
  SilentListener hanging_concert;
  System system(
      {.payment = {{"CONCERT_URL", "http://127.0.0.1:" + std::to_string(hanging_concert.port())},
                   {"DOWNSTREAM_TIMEOUT_MS",
                    std::to_string(std::chrono::milliseconds(kDownstreamTimeout).count())}}});
  const Api& api = system.api;
  const auto visitor = new_visitor(api);
  const Headers key{{"Idempotency-Key", "pay-while-concert-hangs"}};

  // Two payments with one key, the second sent while the first waits for the concert service:
  // one is 503 (the concert service did not answer), the other 409 (its key is in progress).
  auto first =
      std::async(std::launch::async, [&] { return payment_api(api).pay(visitor, 1, key); });
  std::this_thread::sleep_for(kDownstreamTimeout / 3);
  const auto second = payment_api(api).pay(visitor, 1, key);
  const auto first_reply = first.get();
  const std::set<std::string> codes{code_of(first_reply), code_of(second)};
  CHECK(codes == std::set<std::string>{"IDEMPOTENCY_IN_PROGRESS", "SERVICE_UNAVAILABLE"});
  for (const auto* reply : {&first_reply, &second}) {
    if (code_of(*reply) == "SERVICE_UNAVAILABLE") {
      require_problem(*reply, 503, "SERVICE_UNAVAILABLE");
    } else {
      require_problem(*reply, 409, "IDEMPOTENCY_IN_PROGRESS");
    }
  }
  // Nothing was debited, and the token was not used up.
  CHECK(balance_of(api, visitor.user_id) == 0);

  // The concert service down: its routes are 502 BAD_GATEWAY from the gateway.
  system.stack().concert.process->terminate();
  require_problem(concert_api(api).list_dates(visitor), 502, "BAD_GATEWAY");

  // The payment service down: user routes are 502 too.
  system.stack().payment->process->terminate();
  require_problem(payment_api(api).points(visitor.user_id), 502, "BAD_GATEWAY");

  // The queue service down: a queue-gated route cannot check its token (503, Retry-After), and
  // token issue is 502.
  system.stack().queue.process->terminate();
  const auto unchecked = concert_api(api).list_dates(visitor);
  require_problem(unchecked, 503, "SERVICE_UNAVAILABLE");
  CHECK(unchecked.header("Retry-After") == "1");
  require_problem(queue_api(api).issue_token(), 502, "BAD_GATEWAY");
}

}  // namespace
}  // namespace e2e
