#include <catch2/catch.hpp>

#include "domain/admission_rate.hpp"
#include "domain/line.hpp"
#include "domain/pacing.hpp"
#include "domain/token.hpp"
#include "domain/token_state.hpp"

using namespace queue;
using namespace std::chrono_literals;

TEST_CASE("Position counts places since the served counter, less dropped ones") {
  LineSnapshot line;
  line.served_place = 10;
  CHECK(position_in_line(11, line) == 1);
  CHECK(position_in_line(15, line) == 5);

  line.dropped_places =
      std::make_shared<const std::vector<std::int64_t>>(std::vector<std::int64_t>{12, 13, 20});
  CHECK(position_in_line(11, line) == 1);
  CHECK(position_in_line(14, line) == 2);  // 12 and 13 left the line
  CHECK(position_in_line(25, line) == 12);
}

TEST_CASE("Position is never below 1 for a waiting token, even with a newer counter") {
  LineSnapshot line;
  line.served_place = 30;
  CHECK(position_in_line(25, line) == 1);
}

TEST_CASE("Estimated wait follows the observed admission rate") {
  LineSnapshot line;
  line.admissions_per_second = 10;
  CHECK(estimated_wait_seconds(1, line) == 1);
  CHECK(estimated_wait_seconds(100, line) == 10);
  CHECK(estimated_wait_seconds(101, line) == 11);
}

TEST_CASE("Without observed admissions the wait assumes capacity per token TTL") {
  LineSnapshot line;
  line.settings.capacity = 100;
  line.token_ttl = 600s;
  CHECK(estimated_wait_seconds(50, line) == 300);
}

TEST_CASE("Free slots respect capacity and pause") {
  CHECK(free_slots({100, false}, 40) == 60);
  CHECK(free_slots({100, false}, 120) == 0);
  CHECK(free_slots({100, true}, 0) == 0);
}

TEST_CASE("Arrivals are admitted at once only when nobody waits") {
  LineSettings settings{3, false};
  LineCounters counters;
  counters.active = 1;
  CHECK(admit_on_arrival(settings, counters, 5) == 2);
  counters.waiting = 1;
  CHECK(admit_on_arrival(settings, counters, 5) == 0);
}

TEST_CASE("An ACTIVE token past its expiry has lapsed before any sweeper runs") {
  const auto now = ticketing::Clock::now();
  Token token{"0123456789abcdef0123456789abcdef", "u", TokenStatus::active, 1, now + 1s, {}};
  CHECK(is_live(token, now));
  CHECK_FALSE(has_lapsed(token, now));
  CHECK(has_lapsed(token, now + 1s));
  CHECK_FALSE(is_live(token, now + 1s));
  token.status = TokenStatus::dropped;
  CHECK_FALSE(is_live(token, now));
}

TEST_CASE("Tokens must be 32 lowercase hex digits") {
  CHECK(is_well_formed_token("0123456789abcdef0123456789abcdef"));
  CHECK_FALSE(is_well_formed_token("0123456789ABCDEF0123456789abcdef"));
  CHECK_FALSE(is_well_formed_token("0123456789abcdef"));
  CHECK_FALSE(is_well_formed_token(""));
}

TEST_CASE("A waiting token is described with position and wait, an active one with zeros") {
  LineSnapshot line;
  line.served_place = 4;
  line.admissions_per_second = 2;
  const auto now = ticketing::Clock::now();
  Token waiting{"t", "u", TokenStatus::waiting, 10, {}, {}};
  auto state = describe(waiting, line, now);
  CHECK(state.position == 6);
  CHECK(state.estimated_wait_seconds == 3);
  CHECK_FALSE(state.opens_at);
  CHECK_FALSE(state.sold_out);
  CHECK(state.poll_after_seconds == 1);  // 3 s to go: come back in 1
  Token active{"t", "u", TokenStatus::active, 3, now, {}};
  CHECK(describe(active, line, now).position == 0);
  CHECK(describe(active, line, now).estimated_wait_seconds == 0);
  CHECK(describe(active, line, now).poll_after_seconds == line.poll_ceiling);
}

TEST_CASE("Before the draw a waiting token has no position, and comes back at its own slot") {
  LineSnapshot line;
  const auto now = ticketing::Clock::now();
  line.opens_at = now + 7s;
  Token early{"0123456789abcdef0123456789abcdef", "u", TokenStatus::waiting, 0, {}, 1};
  auto state = describe(early, line, now);
  CHECK_FALSE(state.position);
  CHECK_FALSE(state.estimated_wait_seconds);
  CHECK(state.opens_at == line.opens_at);
  CHECK(state.poll_after_seconds ==
        poll_after_seconds_before_draw(*line.opens_at, now, line.poll_ceiling, early.value));
  line.opens_at = now - 3s;  // due, the draw not made yet: still its slot, not a second wave
  CHECK(describe(early, line, now).poll_after_seconds ==
        poll_after_seconds_before_draw(*line.opens_at, now, line.poll_ceiling, early.value));
  line.opens_at.reset();  // drawn, but this token was read just before: ask again soon
  CHECK(describe(early, line, now).poll_after_seconds == 1);
}

TEST_CASE("A sold-out line says so in every state and paces polls at the ceiling") {
  LineSnapshot line;
  line.sold_out = true;
  line.served_place = 0;
  Token waiting{"t", "u", TokenStatus::waiting, 2, {}, {}};
  auto state = describe(waiting, line, ticketing::Clock::now());
  CHECK(state.sold_out);
  CHECK(state.position == 2);
  CHECK(state.poll_after_seconds == line.poll_ceiling);
}

TEST_CASE("Admission rate is measured over the window") {
  AdmissionRate rate(60s);
  const auto t0 = ticketing::Clock::now();
  CHECK(rate.per_second() == 0);
  rate.sample(t0, 0);
  rate.sample(t0 + 500ms, 100);
  CHECK(rate.per_second() == 0);  // under a second of evidence
  rate.sample(t0 + 10s, 50);
  CHECK(rate.per_second() == Approx(5.0));
  rate.sample(t0 + 100s, 50);  // the old samples fall out of the window
  CHECK(rate.per_second() == 0);
}
