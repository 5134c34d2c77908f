// The PostgreSQL adapters against a real database, each test on its own throwaway database.
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

TEST_CASE("A concert is created with 50 seats per date at its price, listed by date",
          "[postgres]") {
  PostgresConcert c;
  auto winter = c.create("Winter", 120000, {day("2026-12-24"), day("2026-12-20")});
  CHECK(winter.concert_id > 0);
  REQUIRE(winter.dates.size() == 2);
  CHECK(winter.dates[0] == day("2026-12-20"));  // ascending
  CHECK(winter.dates[1] == day("2026-12-24"));
  auto spring = c.create("Spring", 80000, {day("2026-12-22"), day("2026-11-01")});

  auto map = c.seat_map(day("2026-12-24"));
  REQUIRE(map);
  CHECK(map->concert_id == winter.concert_id);
  CHECK(map->title == "Winter");
  REQUIRE(map->seats.size() == 50);
  for (int i = 0; i < 50; ++i) {
    CHECK(map->seats[static_cast<std::size_t>(i)].seat_no == i + 1);
    CHECK(map->seats[static_cast<std::size_t>(i)].price == 120000);
    CHECK(map->seats[static_cast<std::size_t>(i)].status == SeatStatus::available);
  }
  CHECK(c.seat_map(day("2026-12-22"))->seats[0].price == 80000);
  CHECK_FALSE(c.seat_map(day("2026-12-23")));

  auto dates = c.catalog.dates_from(day("2026-12-01"), kStart);
  REQUIRE(dates.size() == 3);  // 2026-11-01 is before the first day asked for
  CHECK(dates[0].date == day("2026-12-20"));
  CHECK(dates[1].date == day("2026-12-22"));
  CHECK(dates[1].concert_id == spring.concert_id);
  CHECK(dates[1].title == "Spring");
  CHECK(dates[1].available_seats == 50);
  CHECK(dates[2].date == day("2026-12-24"));

  // A date whose seats are all held drops out, and is back once the holds lapse.
  for (int seat = 1; seat <= 50; ++seat) {
    REQUIRE(c.hold_now({user(), day("2026-12-22"), seat, kStart, 300s, 4}));
  }
  REQUIRE(c.hold(user(), "2026-12-24", 7));
  dates = c.catalog.dates_from(day("2026-12-01"), kStart + 10s);
  REQUIRE(dates.size() == 2);
  CHECK(dates[0].date == day("2026-12-20"));
  CHECK(dates[1].date == day("2026-12-24"));
  CHECK(dates[1].available_seats == 49);
  dates = c.catalog.dates_from(day("2026-12-01"), kStart + 300s);
  REQUIRE(dates.size() == 3);
  CHECK(dates[1].available_seats == 50);
  CHECK(dates[2].available_seats == 50);

  auto seat = c.seat(("2026-12-24"), 7);
  CHECK(seat.status == SeatStatus::held);
  REQUIRE(seat.hold_expires_at);
  CHECK(*seat.hold_expires_at == kStart + 300s);
  CHECK(status_at(seat, kStart + 299s) == SeatStatus::held);
  CHECK(status_at(seat, kStart + 300s) == SeatStatus::available);
}

TEST_CASE("A concert with a taken date is rejected whole", "[postgres]") {
  PostgresConcert c;
  c.create("First", 1000, {day("2026-12-24")});
  auto second = c.catalog.create({"Second", 2000, {day("2026-12-25"), day("2026-12-24")}});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error() == ConcertError::date_taken);
  CHECK_FALSE(c.seat_map(day("2026-12-25")));
  CHECK(c.seat_map(day("2026-12-24"))->title == "First");
  CHECK(c.count("SELECT count(*) FROM concerts WHERE title = 'Second'") == 0);
  CHECK(c.count("SELECT count(*) FROM dates") == 1);
  CHECK(c.count("SELECT count(*) FROM seats") == 50);
}

TEST_CASE("A hold records the seat's price and expiry, unknown dates are refused", "[postgres]") {
  PostgresConcert c;
  auto concert = c.create("Gala", 55000, {day("2026-12-24")});
  const auto owner = user();
  auto reservation = c.held(owner, "2026-12-24", 7);
  CHECK(reservation.id > 0);
  CHECK(reservation.user_id == owner);
  CHECK(reservation.concert_id == concert.concert_id);
  CHECK(reservation.date == day("2026-12-24"));
  CHECK(reservation.seat_no == 7);
  CHECK(reservation.price == 55000);
  CHECK(reservation.status == ReservationStatus::held);
  CHECK(reservation.expires_at == kStart + 300s);

  auto found = c.reservations.find(reservation.id);
  REQUIRE(found);
  CHECK(found->user_id == owner);
  CHECK(found->concert_id == concert.concert_id);
  CHECK(found->seat_no == 7);
  CHECK(found->price == 55000);
  CHECK(found->status == ReservationStatus::held);
  CHECK(found->expires_at == kStart + 300s);
  CHECK_FALSE(found->payment_id);
  CHECK_FALSE(c.reservations.find(reservation.id + 1000));

  auto again = c.hold(user(), "2026-12-24", 7, kStart + 299s);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error() == ConcertError::seat_unavailable);
  auto unknown = c.hold(user(), "2026-12-25", 7);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error() == ConcertError::date_not_found);
}

TEST_CASE("The schema refuses an unknown status and a status out of step with its row",
          "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  const auto reservation = c.held(user(), "2026-12-24", 3);
  const auto write = [&](const std::string& statement) {
    ticketing::db::testing::execute(c.pool, statement);
  };
  const auto id = std::to_string(reservation.id);

  // Statuses are enums: a value outside them is not even read as one.
  REQUIRE_THROWS_AS(write("UPDATE seats SET status = 'GONE' WHERE seat_no = 3"),
                    pqxx::data_exception);
  REQUIRE_THROWS_AS(write("UPDATE reservations SET status = 'PAID' WHERE id = " + id),
                    pqxx::data_exception);
  // The checks keep each status in step with the columns it implies.
  REQUIRE_THROWS_AS(write("UPDATE seats SET status = 'AVAILABLE' WHERE seat_no = 3"),
                    pqxx::check_violation);
  REQUIRE_THROWS_AS(write("UPDATE seats SET hold_expires_at = NULL WHERE seat_no = 3"),
                    pqxx::check_violation);
  REQUIRE_THROWS_AS(write("UPDATE reservations SET status = 'CONFIRMED' WHERE id = " + id),
                    pqxx::check_violation);
  REQUIRE_THROWS_AS(write("UPDATE reservations SET status = 'CANCELLED' WHERE id = " + id),
                    pqxx::check_violation);

  CHECK(c.seat("2026-12-24", 3).status == SeatStatus::held);
  CHECK(c.reservations.find(reservation.id)->status == ReservationStatus::held);
}

TEST_CASE("200 concurrent holds of one seat: exactly one wins", "[postgres][race]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  std::atomic<int> won{0}, unavailable{0}, other{0};
  std::atomic<std::int64_t> winner{0};
  c.warm_pool();
  test_support::race(200, [&](int) {
    auto outcome = c.hold(user(), "2026-12-24", 7);
    if (outcome) {
      ++won;
      winner = outcome->id;
    } else if (outcome.error() == ConcertError::seat_unavailable) {
      ++unavailable;
    } else {
      ++other;
    }
  });
  CHECK(won == 1);
  CHECK(unavailable == 199);
  CHECK(other == 0);
  CHECK(c.count("SELECT count(*) FROM reservations") == 1);
  CHECK(c.count("SELECT held_by FROM seats WHERE seat_no = 7") == winner);
}

TEST_CASE("50 concurrent holds of 50 different seats all succeed", "[postgres][race]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  std::atomic<int> won{0};
  c.warm_pool();
  test_support::race(50, [&](int index) {
    if (c.hold(user(), "2026-12-24", index + 1)) ++won;
  });
  CHECK(won == 50);
  CHECK(c.count("SELECT count(*) FROM seats WHERE status = 'HELD'") == 50);
  CHECK(c.catalog.dates_from(day("2026-12-01"), kStart).empty());
}

TEST_CASE("A user racing themselves for 10 seats gets exactly their limit", "[postgres][race]") {
  PostgresConcert c;
  const char* const kRounds[] = {"2026-12-20", "2026-12-21", "2026-12-22", "2026-12-23",
                                 "2026-12-24"};
  std::vector<CalendarDate> dates{day("2026-12-25")};
  for (const char* date : kRounds) dates.push_back(day(date));
  c.create("Gala", 1000, dates);
  const auto greedy = user();
  c.warm_pool();
  for (const char* date : kRounds) {  // several rounds: one lucky interleaving proves little
    std::atomic<int> won{0}, limited{0};
    test_support::race(10, [&](int index) {
      auto outcome = c.hold(greedy, date, index + 1);
      if (outcome) {
        ++won;
      } else if (outcome.error() == ConcertError::seat_limit_reached) {
        ++limited;
      }
    });
    INFO(date);
    CHECK(won == 4);
    CHECK(limited == 6);
  }
  // The limit is per date, and lapsed holds stop counting.
  CHECK(c.hold(greedy, "2026-12-25", 1));
  auto fifth = c.hold(greedy, "2026-12-24", 20, kStart + 299s);
  REQUIRE_FALSE(fifth.ok());
  CHECK(fifth.error() == ConcertError::seat_limit_reached);
  CHECK(c.hold(greedy, "2026-12-24", 20, kStart + 300s));
}

TEST_CASE("A lapsed hold is taken by another user and the first reads EXPIRED", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto first = c.held(user(), "2026-12-24", 5);
  const TimePoint later = kStart + 301s;
  auto second = c.hold(user(), "2026-12-24", 5, later);
  REQUIRE(second.ok());
  CHECK(second->expires_at == later + 300s);
  auto old = c.reservations.find(first.id);
  REQUIRE(old);
  CHECK(old->status == ReservationStatus::expired);
  CHECK(c.reservations.find(second->id)->status == ReservationStatus::held);
  auto seat = c.seat("2026-12-24", 5);
  CHECK(seat.status == SeatStatus::held);
  CHECK(seat.hold_expires_at == later + 300s);
  CHECK(c.count("SELECT held_by FROM seats WHERE seat_no = 5") == second->id);

  // The first owner's payment now comes too late.
  auto late = c.reservations.confirm(first.id, "pay-late", later);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error() == ConcertError::reservation_expired);
  CHECK(c.seat("2026-12-24", 5).status == SeatStatus::held);
}

TEST_CASE("Confirming a lapsed hold is refused and frees the seat", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto reservation = c.held(user(), "2026-12-24", 9);
  auto confirmed = c.reservations.confirm(reservation.id, "pay-1", kStart + 300s);
  REQUIRE_FALSE(confirmed.ok());
  CHECK(confirmed.error() == ConcertError::reservation_expired);
  auto found = c.reservations.find(reservation.id);
  CHECK(found->status == ReservationStatus::expired);
  CHECK_FALSE(found->payment_id);
  CHECK(c.seat("2026-12-24", 9).status == SeatStatus::available);
  CHECK_FALSE(c.reservations.find_by_payment("pay-1"));
  CHECK(c.hold(user(), "2026-12-24", 9, kStart + 300s));
}

TEST_CASE("Confirm is idempotent for its payment and refuses another payment", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  const auto owner = user();
  auto reservation = c.held(owner, "2026-12-24", 3);
  auto first = c.reservations.confirm(reservation.id, "pay-1", kStart + 10s);
  REQUIRE(first.ok());
  CHECK(first->status == ReservationStatus::confirmed);
  CHECK(first->payment_id == "pay-1");
  // A retry of the same payment succeeds again, even after the hold would have lapsed.
  auto again = c.reservations.confirm(reservation.id, "pay-1", kStart + 900s);
  REQUIRE(again.ok());
  CHECK(again->status == ReservationStatus::confirmed);
  CHECK(again->id == reservation.id);
  auto other = c.reservations.confirm(reservation.id, "pay-2", kStart + 20s);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error() == ConcertError::already_confirmed);

  auto seat = c.seat("2026-12-24", 3);
  CHECK(seat.status == SeatStatus::sold);
  CHECK_FALSE(seat.hold_expires_at);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE status = 'CONFIRMED'") == 1);
  auto by_payment = c.reservations.find_by_payment("pay-1");
  REQUIRE(by_payment);
  CHECK(by_payment->id == reservation.id);
  CHECK(by_payment->user_id == owner);
  CHECK(by_payment->status == ReservationStatus::confirmed);
  CHECK_FALSE(c.reservations.find_by_payment("pay-2"));

  // A sold seat can be held by nobody, and counts toward its owner's limit.
  auto taken = c.hold(user(), "2026-12-24", 3, kStart + 900s);
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error() == ConcertError::seat_unavailable);
  for (int seat_no = 10; seat_no < 13; ++seat_no) REQUIRE(c.hold(owner, "2026-12-24", seat_no));
  auto over = c.hold(owner, "2026-12-24", 13);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error() == ConcertError::seat_limit_reached);
}

TEST_CASE("A payment id already used on another reservation confirms nothing", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto first = c.held(user(), "2026-12-24", 1);
  auto second = c.held(user(), "2026-12-24", 2);
  REQUIRE(c.reservations.confirm(first.id, "pay-1", kStart + 1s));
  auto reused = c.reservations.confirm(second.id, "pay-1", kStart + 1s);
  REQUIRE_FALSE(reused.ok());
  CHECK(reused.error() == ConcertError::already_confirmed);
  CHECK(c.reservations.find(second.id)->status == ReservationStatus::held);
  CHECK(c.seat("2026-12-24", 2).status == SeatStatus::held);  // rolled back with the refusal
}

TEST_CASE("20 concurrent confirms of one payment all succeed and sell the seat once",
          "[postgres][race]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto reservation = c.held(user(), "2026-12-24", 11);
  std::atomic<int> succeeded{0};
  c.warm_pool();
  test_support::race(20, [&](int) {
    auto outcome = c.reservations.confirm(reservation.id, "pay-race", kStart + 5s);
    if (outcome && outcome->status == ReservationStatus::confirmed &&
        outcome->payment_id == "pay-race") {
      ++succeeded;
    }
  });
  CHECK(succeeded == 20);
  CHECK(c.seat("2026-12-24", 11).status == SeatStatus::sold);
  CHECK(c.count("SELECT count(*) FROM seats WHERE status = 'SOLD'") == 1);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE status = 'CONFIRMED'") == 1);
}

TEST_CASE("Cancel releases the seat for anyone, a paid one cannot be cancelled", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto reservation = c.held(user(), "2026-12-24", 4);
  auto cancelled = c.reservations.cancel(reservation.id, kStart + 10s);
  REQUIRE(cancelled.ok());
  CHECK(cancelled->status == ReservationStatus::cancelled);
  CHECK(c.reservations.find(reservation.id)->status == ReservationStatus::cancelled);
  CHECK(c.seat("2026-12-24", 4).status == SeatStatus::available);
  // Cancelling again changes nothing; confirming a cancelled hold is refused.
  auto again = c.reservations.cancel(reservation.id, kStart + 11s);
  REQUIRE(again.ok());
  CHECK(again->status == ReservationStatus::cancelled);
  auto pay = c.reservations.confirm(reservation.id, "pay-1", kStart + 12s);
  REQUIRE_FALSE(pay.ok());
  CHECK(pay.error() == ConcertError::reservation_cancelled);

  auto next = c.hold(user(), "2026-12-24", 4, kStart + 20s);
  REQUIRE(next.ok());
  REQUIRE(c.reservations.confirm(next->id, "pay-2", kStart + 30s));
  auto paid = c.reservations.cancel(next->id, kStart + 40s);
  REQUIRE_FALSE(paid.ok());
  CHECK(paid.error() == ConcertError::already_paid);
  CHECK(c.seat("2026-12-24", 4).status == SeatStatus::sold);

  auto unknown = c.reservations.cancel(next->id + 1000, kStart);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error() == ConcertError::reservation_not_found);
  auto unknown_confirm = c.reservations.confirm(next->id + 1000, "pay-3", kStart);
  REQUIRE_FALSE(unknown_confirm.ok());
  CHECK(unknown_confirm.error() == ConcertError::reservation_not_found);
}

TEST_CASE("Cancelling a lapsed hold records it as EXPIRED", "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  auto reservation = c.held(user(), "2026-12-24", 8);
  auto cancelled = c.reservations.cancel(reservation.id, kStart + 300s);
  REQUIRE(cancelled.ok());
  CHECK(cancelled->status == ReservationStatus::expired);
  CHECK(c.reservations.find(reservation.id)->status == ReservationStatus::expired);
  CHECK(c.seat("2026-12-24", 8).status == SeatStatus::available);
}

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
