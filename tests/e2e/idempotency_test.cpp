// Idempotency as a client meets it through the gateway: a payment's retry with its own key gets
// its answer after the payment ended the token that authorised it; racing payments of one
// reservation get exactly one 201; a retry after the payment process died mid-request (at a
// charge's or a payment's fault point) gets that request's final answer once it is settled.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "checks.hpp"
#include "steps.hpp"
#include "support/race.hpp"
#include "system.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kPrice = 50000;

std::string code_of(const Reply& reply) {
  const auto problem = json_of(reply);
  return problem.HasMember("code") ? problem["code"].GetString() : "";
}

std::string payment_id_of(const Reply& reply) { return json_of(reply)["paymentId"].GetString(); }

Headers with_key(const std::string& key) { return {{"Idempotency-Key", key}}; }

std::string pay_body(std::int64_t reservation_id) {
  return R"({"reservationId":)" + std::to_string(reservation_id) + "}";
}

// Sends until the answer is no longer a transient one (the gateway's 502/503 while the process
// is down, 409 IDEMPOTENCY_IN_PROGRESS while the first run's payment is unsettled); bounded.
Reply settled_answer(const std::function<Reply()>& send) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    auto reply = send();
    const bool transient = reply.status == 502 || reply.status == 503 ||
                           (reply.status == 409 && code_of(reply) == "IDEMPOTENCY_IN_PROGRESS");
    if (!transient || std::chrono::steady_clock::now() > deadline) return reply;
    std::this_thread::sleep_for(200ms);
  }
}

}  // namespace

TEST_CASE("A payment retried with its key gets its 201 after the token ended, anything else 401",
          "[e2e][idempotency]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 40, kPrice);
  const auto visitor = new_visitor(api);
  charge(api, visitor.user_id, 2 * kPrice);
  const auto reservation = hold_seat(api, visitor, date, 1);

  const auto first = payment_api(api).pay(visitor, reservation, with_key("pay-once"));
  require_status(first, 201);
  // The payment ended the token; its retry still gets the payment's answer, again and again.
  for (int retry = 0; retry < 2; ++retry) {
    const auto again = payment_api(api).pay(visitor, reservation, with_key("pay-once"));
    require_status(again, 201);
    CHECK(again.body == first.body);
    CHECK(again.header("Idempotency-Replayed") == "true");
  }
  CHECK(balance_of(api, visitor.user_id) == kPrice);

  // Anything else with that token is 401 TOKEN_EXPIRED: another key, no key, another body,
  // another route.
  const auto other = visitor.bearer();
  require_problem(api.send("POST", "/api/v1/payments", pay_body(reservation),
                           {other[0], {"Idempotency-Key", "another-key"}}),
                  401, "TOKEN_EXPIRED");
  require_problem(payment_api(api).pay(visitor, reservation), 401, "TOKEN_EXPIRED");
  require_problem(payment_api(api).pay(visitor, reservation + 1, with_key("pay-once")), 401,
                  "TOKEN_EXPIRED");
  require_problem(api.send("GET", "/api/v1/payments/" + payment_id_of(first), {}, other), 401,
                  "TOKEN_EXPIRED");
  require_problem(api.send("GET", "/api/v1/concerts/dates", {}, other), 401, "TOKEN_EXPIRED");

  // Keys belong to the user: with the user's next token the same key replays too. A token that
  // is not one is refused before any key is looked at.
  const auto next = returning_visitor(api, visitor.user_id);
  const auto by_next = payment_api(api).pay(next, reservation, with_key("pay-once"));
  CHECK(by_next.status == 201);
  CHECK(by_next.body == first.body);
  require_problem(api.send("POST", "/api/v1/payments", pay_body(reservation),
                           {{"Authorization", "Bearer 00000000000000000000000000000000"},
                            {"Idempotency-Key", "pay-once"}}),
                  401, "TOKEN_INVALID");
}

TEST_CASE("Ten payments of one reservation with ten keys: exactly one 201, nine refused",
          "[e2e][idempotency][race]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 41, kPrice);
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    const auto visitor = new_visitor(api);
    charge(api, visitor.user_id, 3 * kPrice);
    const auto reservation = hold_seat(api, visitor, date, round + 1);
    std::mutex mutex;
    std::vector<Reply> replies;
    test_support::race(10, [&](int t) {
      Headers headers = visitor.bearer();
      headers.emplace_back("Idempotency-Key", "racer-" + std::to_string(round) + "-" +
                                                  std::to_string(t));
      auto reply = api.send_to_gateway("POST", "/api/v1/payments", pay_body(reservation), headers);
      std::lock_guard lock(mutex);
      replies.push_back(std::move(reply));
    });
    // A racer that reaches the gateway after the winner's payment ended the token is 401
    // TOKEN_EXPIRED (seen through the containers' slower network); one before it, ALREADY_PAID.
    int created = 0, already_paid = 0, token_used_up = 0;
    std::string others;
    for (const auto& reply : replies) {
      if (reply.status == 201) {
        ++created;
      } else if (reply.status == 409 && code_of(reply) == "ALREADY_PAID") {
        ++already_paid;
      } else if (reply.status == 401 && code_of(reply) == "TOKEN_EXPIRED") {
        ++token_used_up;
      } else {
        others += std::to_string(reply.status) + " " + reply.body + "\n";
      }
    }
    INFO(others);
    CHECK(created == 1);
    CHECK(already_paid + token_used_up == 9);
    CHECK(balance_of(api, visitor.user_id) == 2 * kPrice);
  }
}

TEST_CASE("After the payment process died mid-request, a retry with its key gets its final answer",
          "[e2e][idempotency][crash][own-system]") {
  const auto point = GENERATE(as<std::string>{}, "after_charge", "after_debit", "after_confirm");
  INFO("the payment process dies at " << point);
  System system({.payment = {{"PAYMENT_FAULT_POINT", point},
                             {"RECOVERY_GRACE_SECONDS", "1"},
                             {"RECOVERY_INTERVAL_MS", "100"}}});
  const Api& api = system.api;
  auto& stack = system.stack();
  const auto restart_without_fault = [&] {
    stack.restart_payment({{"PAYMENT_FAULT_POINT", "none"},
                           {"PORT", std::to_string(stack.payment->process->port())}});
  };
  const auto visitor = new_visitor(api);
  const auto charge_path = "/api/v1/users/" + visitor.user_id + "/points/charge";

  if (point == "after_charge") {
    const auto charge_once = [&] {
      return api.send_to_gateway("POST", charge_path, R"({"amount":70001})",
                                 with_key("charge-crash"));
    };
    const auto lost = charge_once();  // committed, then the process died: no answer
    CHECK(lost.status == 502);
    restart_without_fault();
    const auto answer = settled_answer(charge_once);
    require_status(answer, 200);
    CHECK(json_of(answer)["balance"].GetInt64() == 70001);
    CHECK(settled_answer(charge_once).body == answer.body);
    CHECK(balance_of(api, visitor.user_id) == 70001);
    return;
  }

  charge(api, visitor.user_id, 2 * kPrice);
  const auto date = create_concert(api, 42, kPrice);
  const auto reservation = hold_seat(api, visitor, date, 1);
  const auto pay_once = [&] {
    Headers headers = visitor.bearer();
    headers.emplace_back("Idempotency-Key", "pay-crash");
    return api.send_to_gateway("POST", "/api/v1/payments", pay_body(reservation), headers);
  };
  const auto lost = pay_once();
  CHECK(lost.status == 502);
  restart_without_fault();
  const auto answer = settled_answer(pay_once);
  require_status(answer, 201);
  CHECK(json_of(answer)["status"].GetString() == std::string("COMPLETED"));
  CHECK(settled_answer(pay_once).body == answer.body);  // also once the token has ended
  CHECK(balance_of(api, visitor.user_id) == kPrice);
  CHECK(seat_status(api, new_visitor(api), date, 1) == "SOLD");
}

}  // namespace e2e
