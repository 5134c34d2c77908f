// Sweeping lapsed holds in PostgreSQL, racing writes, and shared seat map reads.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "domain/rules.hpp"
#include "postgres_concert.hpp"

using namespace concert;
using namespace concert::testing;
using namespace std::chrono_literals;

TEST_CASE("The sweep expires lapsed holds and frees their seats, a batch at a time", "[postgres]") {
  PostgresConcert c(2);
  c.create("Gala", 1000, {day("2026-12-24")});
  std::vector<Reservation> lapsing;
  for (int seat = 1; seat <= 3; ++seat) lapsing.push_back(c.held(user(), "2026-12-24", seat));
  auto live = c.held(user(), "2026-12-24", 4, kStart + 200s);
  auto sold = c.held(user(), "2026-12-24", 5);
  REQUIRE(c.reservations.confirm(sold.id, "pay-1", kStart + 1s));

  const TimePoint later = kStart + 301s;
  CHECK(c.reservations.sweep_lapsed(later).lapsed == 2);
  CHECK(c.reservations.sweep_lapsed(later).lapsed == 1);
  CHECK(c.reservations.sweep_lapsed(later).lapsed == 0);
  for (const auto& reservation : lapsing) {
    CHECK(c.reservations.find(reservation.id)->status == ReservationStatus::expired);
    auto seat = c.seat("2026-12-24", reservation.seat_no);
    CHECK(seat.status == SeatStatus::available);
    CHECK_FALSE(seat.hold_expires_at);
  }
  CHECK(c.reservations.find(live.id)->status == ReservationStatus::held);
  CHECK(c.seat("2026-12-24", 4).status == SeatStatus::held);
  CHECK(c.reservations.find(sold.id)->status == ReservationStatus::confirmed);
  CHECK(c.seat("2026-12-24", 5).status == SeatStatus::sold);
}

TEST_CASE("Sweeps running at once end each lapsed hold exactly once", "[postgres][race]") {
  PostgresConcert c(5);
  c.create("Gala", 1000, {day("2026-12-24")});
  for (int seat = 1; seat <= 40; ++seat) {
    REQUIRE(c.hold_now({user(), day("2026-12-24"), seat, kStart, 300s, 4}));
  }
  std::atomic<std::int64_t> swept{0};
  c.warm_pool();
  test_support::race(8, [&](int) {
    for (;;) {
      const auto lapsed = c.reservations.sweep_lapsed(kStart + 301s).lapsed;
      if (lapsed == 0) break;
      swept += lapsed;
    }
  });
  CHECK(swept == 40);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE status = 'EXPIRED'") == 40);
  CHECK(c.count("SELECT count(*) FROM seats WHERE status = 'AVAILABLE'") == 50);
}

TEST_CASE("Holds, confirms, cancels and sweeps racing over lapsed seats never sell one twice",
          "[postgres][race]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  std::vector<Reservation> first;
  for (int seat = 1; seat <= 10; ++seat) first.push_back(c.held(user(), "2026-12-24", seat));
  const TimePoint later = kStart + 301s;
  std::atomic<int> confirmed{0};
  c.warm_pool();
  test_support::race(40, [&](int index) {
    const int seat = index % 10 + 1;
    switch (index / 10) {
      case 0: {  // a newcomer takes the lapsed seat and pays at once
        auto outcome = c.hold(user(), "2026-12-24", seat, later);
        if (outcome && c.reservations.confirm(outcome->id, "new-" + std::to_string(seat), later)) {
          ++confirmed;
        }
        break;
      }
      case 1:  // the lapsed owner's payment arrives late
        if (c.reservations.confirm(first[static_cast<std::size_t>(seat - 1)].id,
                                   "old-" + std::to_string(seat), later)) {
          throw std::runtime_error("a lapsed hold was confirmed");
        }
        break;
      case 2:
        c.reservations.cancel(first[static_cast<std::size_t>(seat - 1)].id, later);
        break;
      default:
        c.reservations.sweep_lapsed(later);
        break;
    }
  });
  CHECK(confirmed == 10);
  // Holds lock seat then reservation, the others reservation then seat (skipping locked ones):
  // no deadlock, so the pool re-ran nothing.
  CHECK(c.pool.stats().retries == 0);
  CHECK(c.count("SELECT count(*) FROM seats WHERE status = 'SOLD'") == 10);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE status = 'CONFIRMED'") == 10);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE status = 'HELD'") == 0);
  for (const auto& reservation : first) {
    CHECK(c.reservations.find(reservation.id)->status == ReservationStatus::expired);
  }
}

TEST_CASE("Concurrent seat map reads of many dates are answered right by shared queries",
          "[postgres]") {
  PostgresConcert c;
  c.create("Winter", 120000, {day("2026-12-20"), day("2026-12-21")});
  c.create("Spring", 80000, {day("2027-03-01")});
  const std::vector<std::pair<const char*, std::string>> asked = {{"2026-12-20", "Winter"},
                                                                  {"2026-12-21", "Winter"},
                                                                  {"2027-03-01", "Spring"},
                                                                  {"2027-03-02", ""}};
  std::atomic<int> wrong{0};
  std::atomic<int> answered{0};
  {
    std::vector<std::promise<void>> finished(400);
    for (std::size_t i = 0; i < finished.size(); ++i) {
      const auto& [date, title] = asked[i % asked.size()];
      c.catalog.seat_map(day(date), [&, i, title = title](auto found) {
        auto map = std::move(found).get();
        const bool right = title.empty() ? !map
                                         : map && map->title == title && map->seats.size() == 50 &&
                                               map->seats[49].seat_no == 50;
        if (!right) ++wrong;
        ++answered;
        finished[i].set_value();
      });
    }
    for (auto& done : finished) done.get_future().wait();
  }
  CHECK(answered == 400);
  CHECK(wrong == 0);
}
