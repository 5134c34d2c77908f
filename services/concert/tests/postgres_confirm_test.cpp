// Confirming and cancelling holds in PostgreSQL, alone and racing.
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
