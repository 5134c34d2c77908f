// A hold lapses after HOLD_TTL_SECONDS (here 2 s): the seat reads AVAILABLE again, paying for it
// is 410 RESERVATION_EXPIRED with nothing charged, and someone else may take the seat. Every
// request is one the document allows, so all of them go through the Prism with --errors.
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
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kPrice = 70000;
constexpr auto kHoldTtl = 2s;

TEST_CASE("A lapsed hold frees the seat and cannot be paid", "[e2e][own-system]") {
  System system({.concert = {{"HOLD_TTL_SECONDS", std::to_string(kHoldTtl.count())},
                             {"HOLD_SWEEP_INTERVAL_MS", "200"}}});
  const Api& api = system.api;
  const auto date = create_concert(api, 8, kPrice);
  const auto visitor = new_visitor(api);
  charge(api, visitor.user_id, kPrice);

  const auto held_at = Clock::now();
  const auto reservation = hold_seat(api, visitor, date, 9);
  CHECK(seat_status(api, visitor, date, 9) == "HELD");

  // The seat reads AVAILABLE once the hold's time is up (not before).
  std::string status = "HELD";
  while (status == "HELD" && Clock::now() - held_at < kHoldTtl + 10s) {
    std::this_thread::sleep_for(100ms);
    status = seat_status(api, visitor, date, 9);
  }
  REQUIRE(status == "AVAILABLE");
  CHECK(Clock::now() - held_at >= kHoldTtl - 100ms);

  // Paying for it is refused and charges nothing; the token still works (nothing was paid).
  require_problem(payment_api(api).pay(visitor, reservation), 410, "RESERVATION_EXPIRED");
  CHECK(balance_of(api, visitor.user_id) == kPrice);
  const auto history = payment_api(api).history(visitor.user_id);
  require_status(history, 200);
  const auto entries = json_of(history);
  REQUIRE(entries["entries"].Size() == 1);
  CHECK(std::string(entries["entries"][0]["type"].GetString()) == "CHARGE");

  // The reservation reads EXPIRED to its owner, and another visitor takes the seat.
  const auto read = concert_api(api).reservation(visitor, reservation);
  require_status(read, 200);
  CHECK(std::string(json_of(read)["status"].GetString()) == "EXPIRED");
  const auto next = new_visitor(api);
  hold_seat(api, next, date, 9);
  CHECK(seat_status(api, next, date, 9) == "HELD");
}

}  // namespace
}  // namespace e2e
