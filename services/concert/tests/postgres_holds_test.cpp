// Concerts and holds in PostgreSQL: creation, the schema, racing holds, limits and lapses.
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
