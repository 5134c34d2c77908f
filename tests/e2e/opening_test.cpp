// The sale's opening through the gateway (product-spec.md, "Sale day"): an admin sets opensAt,
// early visitors wait with no place and an arrival number, the seed's SHA-256 is public from the
// start and the seed once the line opened, and the order the line serves is the one anyone can
// recompute from the seed: arrival numbers sorted by HMAC-SHA256(seed, decimal number). The hash
// and HMAC are the tests' own (hmac_sha256.hpp), not the service's.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "checks.hpp"
#include "hmac_sha256.hpp"
#include "steps.hpp"
#include "support/queue_checks.hpp"
#include "system.hpp"
#include "ticketing/time.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;
using test_support::require_line;
using test_support::require_opening;
using test_support::require_token_state;
using test_support::TokenState;

constexpr int kEarly = 6;
constexpr int kCapacity = 2;
constexpr auto kAdmitInterval = 200ms;

// The opening once its draw is made (the seed published); fails after `limit`.
test_support::Opening drawn_opening(const test_support::QueueClient& queue,
                                    std::chrono::seconds limit = 20s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto opening = require_opening(queue.opening());
    if (opening.seed || std::chrono::steady_clock::now() > give_up) return opening;
    std::this_thread::sleep_for(100ms);
  }
}

// Arrival numbers 1..early_count in the order of their places: sorted by
// HMAC-SHA256(key = seed, message = the number in decimal ASCII), ascending.
std::vector<int> drawn_order(const std::string& seed_hex, int early_count) {
  const auto seed = from_hex(seed_hex);
  std::vector<int> order(static_cast<std::size_t>(early_count));
  std::iota(order.begin(), order.end(), 1);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return hmac_sha256(seed, std::to_string(a)) < hmac_sha256(seed, std::to_string(b));
  });
  return order;
}

// Polls until the first `count` tokens of `order` are ACTIVE (the first admission after the
// draw); fails after `limit`.
void await_admitted(const test_support::QueueClient& queue, const std::vector<TokenState>& early,
                    const std::vector<int>& order, int count, std::chrono::seconds limit = 20s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (int rank = 0; rank < count; ++rank) {
    const auto& token = early[static_cast<std::size_t>(order[static_cast<std::size_t>(rank)] - 1)];
    while (require_token_state(queue.poll(token.token), 200).status != "ACTIVE") {
      INFO("drawn rank " << rank + 1 << " not admitted in time");
      REQUIRE(std::chrono::steady_clock::now() < give_up);
      std::this_thread::sleep_for(100ms);
    }
  }
}

TEST_CASE("The tests' own SHA-256 and HMAC-SHA256 give the FIPS 180 and RFC 4231 answers",
          "[e2e][sale-day]") {
  CHECK(to_hex(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(to_hex(hmac_sha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("Early visitors wait unplaced, and the line serves the order the published seed gives",
          "[e2e][sale-day][own-system]") {
  System system({.queue = {{{"QUEUE_CAPACITY", std::to_string(kCapacity)},
                            {"QUEUE_ADMIT_INTERVAL_MS", std::to_string(kAdmitInterval.count())}},
                           /*asks_concert=*/true}});
  const Api& api = system.api;
  const auto queue = queue_api(api);
  create_concert(api, 5, 1000);  // something to sell, so the line admits once open

  // An opening an hour away: its seed is fixed now, and only its hash is public.
  const auto opens_at = ticketing::format_rfc3339(ticketing::Clock::now() + 1h);
  const auto line = require_line(queue.update_queue_control(R"({"opensAt":")" + opens_at + "\"}"));
  CHECK(line.opens_at.has_value());
  const auto announced = require_opening(queue.opening());
  CHECK_FALSE(announced.seed.has_value());
  CHECK(announced.early_count == 0);
  // Token states come from the line's snapshot, refreshed by each admission pass.
  std::this_thread::sleep_for(3 * kAdmitInterval);

  std::vector<TokenState> early;
  for (int i = 1; i <= kEarly; ++i) {
    const auto state = require_token_state(queue.issue_token(), 201);
    INFO("early visitor " << i);
    CHECK(state.status == "WAITING");  // capacity is free, but the line is not open yet
    CHECK_FALSE(state.position.has_value());
    CHECK_FALSE(state.estimated_wait_seconds.has_value());
    CHECK(state.opens_at.has_value());
    CHECK(state.arrival_number == i);
    early.push_back(state);
  }
  const auto polled = require_token_state(queue.poll(early.front().token), 200);
  CHECK_FALSE(polled.position.has_value());
  CHECK(polled.arrival_number == 1);
  const auto before = require_opening(queue.opening());
  CHECK(before.seed_sha256 == announced.seed_sha256);
  CHECK_FALSE(before.seed.has_value());
  CHECK(before.early_count == kEarly);

  // The admin opens the line now: the draw places the early crowd and publishes the seed.
  require_line(queue.update_queue_control(R"({"opensAt":null})"));
  const auto drawn = drawn_opening(queue);
  REQUIRE(drawn.seed.has_value());
  CHECK(to_hex(sha256(from_hex(*drawn.seed))) == announced.seed_sha256);  // the seed committed to
  CHECK(drawn.early_count == kEarly);

  const auto order = drawn_order(*drawn.seed, kEarly);
  await_admitted(queue, early, order, kCapacity);
  for (int rank = 0; rank < kEarly; ++rank) {
    const auto arrival = order[static_cast<std::size_t>(rank)];
    const auto state =
        require_token_state(queue.poll(early[static_cast<std::size_t>(arrival - 1)].token), 200);
    INFO("drawn rank " << rank + 1 << ", arrival number " << arrival);
    CHECK(state.arrival_number == arrival);
    CHECK_FALSE(state.opens_at.has_value());
    if (rank < kCapacity) {
      CHECK(state.status == "ACTIVE");
    } else {
      CHECK(state.status == "WAITING");
      CHECK(state.position == rank - kCapacity + 1);
    }
  }
  // A visitor after the opening queues behind the whole early crowd, with no arrival number.
  const auto later = require_token_state(queue.issue_token(), 201);
  CHECK(later.status == "WAITING");
  CHECK(later.position == kEarly - kCapacity + 1);
  CHECK_FALSE(later.arrival_number.has_value());
  CHECK_FALSE(later.opens_at.has_value());
}

}  // namespace
}  // namespace e2e
