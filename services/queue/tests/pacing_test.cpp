// Paced polling (product-spec.md, "Sale day"): the bounds, the growth with the distance to the
// front, and a crowd's returns spread so that it never comes back in step.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "domain/pacing.hpp"
#include "domain/token_state.hpp"

using namespace queue;
using namespace std::chrono_literals;

namespace {
// Token values as the queue makes them look: 32 hex digits, one per visitor.
std::vector<std::string> crowd_of(std::size_t size) {
  std::vector<std::string> tokens;
  std::mt19937_64 random(21);
  for (std::size_t i = 0; i < size; ++i) {
    char value[33];
    std::snprintf(value, sizeof value, "%016llx%016llx",
                  static_cast<unsigned long long>(random()),
                  static_cast<unsigned long long>(random()));
    tokens.emplace_back(value);
  }
  return tokens;
}

std::int64_t second_of(TimePoint at, TimePoint origin) {
  return std::chrono::floor<std::chrono::seconds>(at - origin).count();
}
}  // namespace

TEST_CASE("The poll ceiling is QUEUE_POLL_MAX_SECONDS and below a third of the abandon time") {
  CHECK(poll_ceiling(20, 60) == 19);  // 20 would be a third of 60, not below it
  CHECK(poll_ceiling(20, 61) == 20);
  CHECK(poll_ceiling(5, 600) == 5);
  CHECK(poll_ceiling(20, 4) == 1);
  CHECK(poll_ceiling(20, 3) == 0);  // no whole second fits: the configuration is refused
  for (std::int64_t abandon = 4; abandon < 200; ++abandon) {
    for (std::int64_t max = 1; max < 30; ++max) {
      const auto ceiling = poll_ceiling(max, abandon);
      REQUIRE(ceiling >= 1);
      REQUIRE(ceiling <= max);
      REQUIRE(3 * ceiling < abandon);
    }
  }
}

TEST_CASE("pollAfterSeconds grows with the position and the wait, from 1 to the ceiling") {
  CHECK(poll_after_seconds(1, 600, 19) == 1);     // next in line: often
  CHECK(poll_after_seconds(100, 2, 19) == 1);     // about to be admitted: often
  CHECK(poll_after_seconds(100, 300, 19) == 10);  // sqrt(100)
  CHECK(poll_after_seconds(100, 15, 19) == 5);    // a third of the wait
  CHECK(poll_after_seconds(1'000'000, 100'000, 19) == 19);
  CHECK(poll_after_seconds(0, 0, 19) == 1);
  std::int64_t previous = 1;
  for (std::int64_t position = 1; position < 5000; position += 7) {
    const auto by_position = poll_after_seconds(position, position, 19);
    REQUIRE(by_position >= previous);
    REQUIRE(by_position <= 19);
    REQUIRE(poll_after_seconds(position, position * 2, 19) >= by_position);
    previous = by_position;
  }
}

TEST_CASE("A token's shares are fixed by its value and differ between tokens") {
  const std::string token = "0123456789abcdef0123456789abcdef";
  const auto slot = pacing_share(token, PacingShare::return_slot);
  CHECK(slot == pacing_share(token, PacingShare::return_slot));
  CHECK(slot >= 0.0);
  CHECK(slot < 1.0);
  CHECK(slot != pacing_share(token, PacingShare::ceiling_cut));
  CHECK(slot != pacing_share("0123456789abcdef0123456789abcdee", PacingShare::return_slot));
}

TEST_CASE("Every pollAfterSeconds is a whole second from 1 to the ceiling") {
  const auto opens_at = ticketing::Clock::now();
  for (const auto& token : crowd_of(200)) {
    for (std::int64_t ceiling = 1; ceiling <= 25; ++ceiling) {
      const auto own = token_poll_ceiling(ceiling, token);
      REQUIRE(own <= ceiling);
      REQUIRE(own >= 1);
      REQUIRE(4 * own >= 3 * ceiling);  // at least three quarters of it
      for (auto now = opens_at - 100s; now < opens_at + 100s; now += 1370ms) {
        const auto after = poll_after_seconds_before_draw(opens_at, now, ceiling, token);
        REQUIRE(after >= 1);
        REQUIRE(after <= ceiling);
      }
    }
  }
}

TEST_CASE("Before the draw a token comes back at its own slot, whenever and wherever it asks") {
  const auto opens_at = ticketing::Clock::now();
  const std::int64_t ceiling = 19;
  for (const auto& token : crowd_of(50)) {
    // Asked at any moment of the window before the opening: one return moment, to the second.
    const auto first = opens_at - std::chrono::seconds(token_poll_ceiling(ceiling, token)) + 1ms;
    const auto slot = first + std::chrono::seconds(
                                  poll_after_seconds_before_draw(opens_at, first, ceiling, token));
    for (auto now = first; now + 1s < slot; now += 900ms) {
      const auto back =
          now + std::chrono::seconds(poll_after_seconds_before_draw(opens_at, now, ceiling, token));
      REQUIRE(std::chrono::abs(back - slot) < 1s);
    }
    // Following it, the token comes back once a window (its own ceiling), at the same phase,
    // after the opening too: the rhythm it keeps once placed far back.
    const auto window = std::chrono::seconds(token_poll_ceiling(ceiling, token));
    auto at = slot;
    for (int round = 0; round < 4; ++round) {
      const auto next =
          at + std::chrono::seconds(poll_after_seconds_before_draw(opens_at, at, ceiling, token));
      REQUIRE(std::chrono::abs(next - at - window) < 1s);
      at = next;
    }
  }
}

namespace {
// Polls a second (from the opening) of an early crowd arriving over the minute before it, each
// polling as told; the draw is made `draw_after` the opening and places everyone far back.
std::map<std::int64_t, std::int64_t> early_crowd_polls(const std::vector<std::string>& crowd,
                                                       std::int64_t ceiling,
                                                       std::chrono::seconds draw_after) {
  const auto opens_at = ticketing::Clock::now();
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> arrival_ms(-60'000, -1);
  std::map<std::int64_t, std::int64_t> polls_per_second;
  for (const auto& token : crowd) {
    const auto far_back = poll_after_seconds(1'000'000, 100'000, token_poll_ceiling(ceiling, token));
    auto at = opens_at + std::chrono::milliseconds(arrival_ms(random));
    auto told = poll_after_seconds_before_draw(opens_at, at, ceiling, token);  // at issue
    for (at += std::chrono::seconds(told); at < opens_at + 60s; at += std::chrono::seconds(told)) {
      ++polls_per_second[second_of(at, opens_at)];
      told = at < opens_at + draw_after
                 ? poll_after_seconds_before_draw(opens_at, at, ceiling, token)
                 : far_back;
    }
  }
  return polls_per_second;
}
}  // namespace

TEST_CASE("An early crowd polls spread out, never all at the opening nor after the draw") {
  const std::int64_t ceiling = 19;
  const auto crowd = crowd_of(19'000);
  // Each token polls once per its own ceiling, 15 to 19 s: about 1,130 polls a second in all.
  const auto fair = static_cast<std::int64_t>(crowd.size()) / 17;
  for (const auto draw_after : {2s, 30s}) {
    const auto polls = early_crowd_polls(crowd, ceiling, draw_after);
    for (std::int64_t second = -20; second < 60; ++second) {
      INFO("second " << second << " after the opening, draw after " << draw_after.count() << " s");
      const auto count = polls.count(second) ? polls.at(second) : 0;
      CHECK(4 * count <= 5 * fair);  // no second more than a quarter above its share
      if (second >= 0) CHECK(4 * count >= 3 * fair);  // nobody stays away
    }
  }
}

TEST_CASE("A crowd far back in line is not paced in step") {
  const std::int64_t ceiling = 19;
  const auto crowd = crowd_of(10'000);
  std::map<std::int64_t, std::int64_t> told;
  for (const auto& token : crowd) {
    ++told[poll_after_seconds(1'000'000, 100'000, token_poll_ceiling(ceiling, token))];
  }
  REQUIRE(told.size() == 5);  // 15 .. 19
  CHECK(told.begin()->first == 15);
  CHECK(told.rbegin()->first == ceiling);
  const auto fair = static_cast<std::int64_t>(crowd.size()) / 5;
  for (const auto& [seconds, count] : told) {
    INFO(seconds << " s told to " << count);
    CHECK(count <= 2 * fair);
    CHECK(2 * count >= fair);
  }
}

TEST_CASE("A placed token's pollAfterSeconds grows with its distance to the front") {
  LineSnapshot line;
  line.admissions_per_second = 2;
  const auto now = ticketing::Clock::now();
  for (const auto& token : crowd_of(40)) {
    std::int64_t previous = 1;
    for (std::int64_t place = 1; place <= 5000; place += 3) {
      const auto told = describe({token, "u", TokenStatus::waiting, place, {}, {}}, line, now);
      REQUIRE(told.poll_after_seconds >= previous);
      REQUIRE(told.poll_after_seconds <= token_poll_ceiling(line.poll_ceiling, token));
      previous = told.poll_after_seconds;
    }
    CHECK(previous == token_poll_ceiling(line.poll_ceiling, token));  // far back: its ceiling
    CHECK(describe({token, "u", TokenStatus::waiting, 1, {}, {}}, line, now).poll_after_seconds ==
          1);
  }
}
