// Sold out, through the gateway (product-spec.md, "Sale day"), with the queue asking the concert
// service as every deployment has it (CONCERT_URL): a small show sold seat by seat through the
// public API tells every waiting visitor within one admission interval plus one poll, and a
// lapsed hold brings a seat back, so admission resumes by itself.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "checks.hpp"
#include "steps.hpp"
#include "support/queue_checks.hpp"
#include "support/rfc3339.hpp"
#include "system.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test_support::require_line;
using test_support::require_token_state;
using test_support::TokenState;

constexpr auto kAdmitInterval = 300ms;
constexpr int kSeats = 50;  // every date has seats 1..50
constexpr std::int64_t kPrice = 100;

test_support::QueueSettings asking_queue() {
  return {{{"QUEUE_ADMIT_INTERVAL_MS", std::to_string(kAdmitInterval.count())}},
          /*asks_concert=*/true};
}

// A new visitor, polled until admitted: right after a show is created the line may not have
// asked the concert service yet, and admits nobody until it knows a seat is AVAILABLE.
Visitor admitted_visitor(const Api& api) {
  const auto queue = queue_api(api);
  auto state = require_token_state(queue.issue_token(), 201);
  const auto give_up = Clock::now() + 20s;
  while (state.status != "ACTIVE") {
    REQUIRE(Clock::now() < give_up);
    std::this_thread::sleep_for(50ms);
    state = require_token_state(queue.poll(state.token), 200);
  }
  return {state.token, state.user_id};
}

// `count` new visitors, each WAITING (nothing is AVAILABLE, so nobody is admitted).
std::vector<TokenState> waiting_visitors(const Api& api, int count) {
  std::vector<TokenState> waiting;
  for (int i = 0; i < count; ++i) {
    waiting.push_back(require_token_state(queue_api(api).issue_token(), 201));
    CHECK(waiting.back().status == "WAITING");
    CHECK_FALSE(waiting.back().sold_out);  // held seats may still come back
  }
  return waiting;
}

TEST_CASE(
    "A show sold out through the API: every waiting visitor reads soldOut within one "
    "admission interval plus one poll",
    "[e2e][sale-day][own-system]") {
  System system({.queue = asking_queue()});
  const Api& api = system.api;
  const auto date = create_concert(api, 7, kPrice);

  // 50 buyers hold a seat each (MAX_SEATS_PER_USER is 4, and a payment ends its token).
  std::vector<std::pair<Visitor, std::int64_t>> holds;
  for (int seat = 1; seat <= kSeats; ++seat) {
    const auto buyer = admitted_visitor(api);
    holds.emplace_back(buyer, hold_seat(api, buyer, date, seat));
    charge(api, buyer.user_id, kPrice);
  }
  std::this_thread::sleep_for(3 * kAdmitInterval);  // the line learns nothing is AVAILABLE
  const auto waiting = waiting_visitors(api, 5);

  // Every hold paid: nothing AVAILABLE and nothing HELD, nothing can come back.
  for (const auto& [buyer, reservation] : holds) {
    require_status(payment_api(api).pay(buyer, reservation), 201);
  }
  const auto sold_at = Clock::now();
  const auto queue = queue_api(api);
  for (const auto& visitor : waiting) {
    // The poll a visitor would make next, as told before the sale ended.
    const auto poll_after = std::chrono::seconds(visitor.poll_after_seconds);
    auto state = require_token_state(queue.poll(visitor.token), 200);
    while (!state.sold_out && Clock::now() - sold_at < kAdmitInterval + poll_after) {
      std::this_thread::sleep_for(50ms);
      state = require_token_state(queue.poll(visitor.token), 200);
    }
    INFO("read soldOut after "
         << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sold_at).count()
         << " ms; pollAfterSeconds " << visitor.poll_after_seconds);
    CHECK(state.sold_out);
    CHECK(state.status == "WAITING");
  }
  // A visitor who comes now learns it at once, and so does the console.
  const auto latecomer = require_token_state(queue.issue_token(), 201);
  CHECK(latecomer.status == "WAITING");
  CHECK(latecomer.sold_out);
  CHECK(require_line(queue.queue_control()).sold_out);
}

TEST_CASE("Every seat held: nobody is admitted, until a hold lapses and admission resumes",
          "[e2e][sale-day][own-system]") {
  // One holder takes all 50 seats; holds last long enough to take them all on a loaded machine.
  System system({.concert = {{"HOLD_TTL_SECONDS", "10"}, {"MAX_SEATS_PER_USER", "50"}},
                 .queue = asking_queue()});
  const Api& api = system.api;
  const auto date = create_concert(api, 9, kPrice);
  const auto holder = admitted_visitor(api);
  const auto first = concert_api(api).reserve(holder, date, 1);
  require_status(first, 201);
  const auto first_lapse_ms = test_support::rfc3339_ms(json_of(first)["expiresAt"].GetString());
  REQUIRE(first_lapse_ms.has_value());
  for (int seat = 2; seat <= kSeats; ++seat) hold_seat(api, holder, date, seat);

  std::this_thread::sleep_for(3 * kAdmitInterval);  // the line learns nothing is AVAILABLE
  const auto waiting = waiting_visitors(api, 1).front();
  std::this_thread::sleep_for(3 * kAdmitInterval);
  const auto still = require_token_state(queue_api(api).poll(waiting.token), 200);
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  INFO("the first hold lapses " << *first_lapse_ms - now_ms() << " ms from now");
  REQUIRE(now_ms() < *first_lapse_ms);  // else the machine was too slow to hold all 50 in time
  CHECK(still.status == "WAITING");     // capacity is free, but there is nothing to buy
  CHECK_FALSE(still.sold_out);

  // The first hold lapses: its seat is AVAILABLE again and the line admits by itself.
  auto state = still;
  const auto give_up = Clock::now() + 30s;
  while (state.status != "ACTIVE" && Clock::now() < give_up) {
    std::this_thread::sleep_for(100ms);
    state = require_token_state(queue_api(api).poll(waiting.token), 200);
  }
  const auto admitted_ms = now_ms();
  REQUIRE(state.status == "ACTIVE");
  INFO("admitted " << admitted_ms - *first_lapse_ms << " ms after the first hold lapsed");
  CHECK(admitted_ms >= *first_lapse_ms);
  CHECK(admitted_ms - *first_lapse_ms <= 2 * kAdmitInterval.count() + 1000);
  const Visitor admitted{state.token, state.user_id};
  CHECK(seat_status(api, admitted, date, 1) == "AVAILABLE");
  hold_seat(api, admitted, date, 1);
}

}  // namespace
}  // namespace e2e
