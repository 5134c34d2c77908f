#include <catch2/catch.hpp>

#include "adapters/memory/in_memory_concert_store.hpp"
#include "application/cancel_reservation.hpp"
#include "application/confirm_reservation.hpp"
#include "application/create_concert.hpp"
#include "application/find_payment_reservation.hpp"
#include "application/get_reservation.hpp"
#include "application/get_seat_map.hpp"
#include "application/list_dates.hpp"
#include "application/reserve_seat.hpp"
#include "ticketing/wait_for.hpp"

using namespace concert;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAlice = "11111111-1111-4111-8111-111111111111";
constexpr const char* kBob = "22222222-2222-4222-8222-222222222222";

// The concert core wired to the in-memory store, with a clock the test moves.
struct ConcertCore {
  ConcertCore()
      : create(store, clock()),
        list(store, clock()),
        seats(store, clock()),
        reserve(store, {300s, 2}, clock()),
        get(store, clock()),
        cancel(store, clock()),
        confirm(store, clock()),
        by_payment(store, clock()) {}

  ClockFn clock() {
    return [this] { return now; };
  }
  CalendarDate day(int from_today) const {
    return CalendarDate::utc_day_of(now).plus_days(from_today);
  }
  GetSeatMap::Result seat_map_now(const CalendarDate& date) {
    std::optional<GetSeatMap::Result> result;
    seats.Execute(date, [&](auto done) { result.emplace(std::move(done).get()); });
    REQUIRE(result);
    return std::move(*result);
  }

  HoldOutcome reserve_now(const ReserveSeatCommand& command) {
    return ticketing::wait_for<HoldOutcome>(
        [&](auto done) { reserve.Execute(command, std::move(done)); });
  }

  Reservation hold(const char* user, int seat, int day_offset = 7) {
    auto held = reserve_now({user, day(day_offset), seat});
    REQUIRE(held.ok());
    return held.value();
  }

  ticketing::TimePoint now = ticketing::Clock::now();
  InMemoryConcertStore store;
  CreateConcert create;
  ListDates list;
  GetSeatMap seats;
  ReserveSeat reserve;
  GetReservation get;
  CancelReservation cancel;
  ConfirmReservation confirm;
  FindPaymentReservation by_payment;
};

struct WithConcert : ConcertCore {
  WithConcert() { REQUIRE(create.Execute({"Winter Gala", 150000, {day(7), day(14)}}).ok()); }
};

}  // namespace

TEST_CASE("A concert is created with 50 seats per date at its price") {
  WithConcert core;
  auto map = core.seat_map_now(core.day(7));
  REQUIRE(map.ok());
  CHECK(map->title == "Winter Gala");
  REQUIRE(map->seats.size() == 50);
  CHECK(map->seats.front().seat_no == 1);
  CHECK(map->seats.back().seat_no == 50);
  CHECK(map->seats[9].price == 150000);
  CHECK(map->seats[9].status == SeatStatus::available);
}

TEST_CASE("A taken date rejects the whole concert, past dates are invalid") {
  WithConcert core;
  CHECK(core.create.Execute({"Other", 1, {core.day(21), core.day(14)}}).error() ==
        ConcertError::date_taken);
  CHECK(core.seat_map_now(core.day(21)).error() == ConcertError::date_not_found);
  CHECK(core.create.Execute({"Past", 1, {core.day(-1)}}).error() == ConcertError::invalid_date);
  CHECK(core.create.Execute({"Today", 1, {core.day(0)}}).ok());
}

TEST_CASE("Dates list bookable dates from today, ascending, with available seats") {
  WithConcert core;
  REQUIRE(core.create.Execute({"Early", 9, {core.day(3)}}).ok());
  auto dates = core.list.Execute();
  REQUIRE(dates.size() == 3);
  CHECK(dates[0].date == core.day(3));
  CHECK(dates[1].date == core.day(7));
  CHECK(dates[1].available_seats == 50);
  core.hold(kAlice, 1);
  CHECK(core.list.Execute()[1].available_seats == 49);
  core.now += 8 * 24h;  // day 3 and day 7 are in the past now
  dates = core.list.Execute();
  REQUIRE(dates.size() == 1);
  CHECK(dates[0].date.text() == core.day(6).text());
}

TEST_CASE("A held seat is unavailable to others until the hold lapses") {
  WithConcert core;
  auto alice = core.hold(kAlice, 7);
  CHECK(alice.status == ReservationStatus::held);
  CHECK(alice.price == 150000);
  CHECK(alice.expires_at == core.now + 300s);
  CHECK(core.reserve_now({kBob, core.day(7), 7}).error() == ConcertError::seat_unavailable);
  CHECK(core.seat_map_now(core.day(7))->seats[6].status == SeatStatus::held);

  core.now += 300s;
  CHECK(core.seat_map_now(core.day(7))->seats[6].status == SeatStatus::available);
  auto bob = core.reserve_now({kBob, core.day(7), 7});
  REQUIRE(bob.ok());
  CHECK(core.get.Execute(kAlice, alice.id)->status == ReservationStatus::expired);
}

TEST_CASE("Seat numbers and dates are checked") {
  WithConcert core;
  CHECK(core.reserve_now({kAlice, core.day(7), 0}).error() == ConcertError::invalid_seat);
  CHECK(core.reserve_now({kAlice, core.day(7), 51}).error() == ConcertError::invalid_seat);
  CHECK(core.reserve_now({kAlice, core.day(30), 1}).error() == ConcertError::date_not_found);
}

TEST_CASE("A user holds at most MAX_SEATS_PER_USER seats of a date, counting sold ones") {
  WithConcert core;  // limit 2
  auto first = core.hold(kAlice, 1);
  core.hold(kAlice, 2);
  CHECK(core.reserve_now({kAlice, core.day(7), 3}).error() == ConcertError::seat_limit_reached);
  CHECK(core.reserve_now({kAlice, core.day(14), 3}).ok());  // another date
  REQUIRE(core.confirm.Execute(first.id, "pay-1").ok());
  CHECK(core.reserve_now({kAlice, core.day(7), 3}).error() == ConcertError::seat_limit_reached);
  core.now += 301s;  // the unpaid hold lapses; the sold seat still counts
  CHECK(core.reserve_now({kAlice, core.day(7), 3}).ok());
}

TEST_CASE("Only the owner sees or cancels a reservation") {
  WithConcert core;
  auto alice = core.hold(kAlice, 5);
  CHECK(core.get.Execute(kBob, alice.id).error() == ConcertError::reservation_not_found);
  CHECK(core.cancel.Execute(kBob, alice.id).error() == ConcertError::reservation_not_found);
  CHECK(core.get.Execute(kAlice, 999).error() == ConcertError::reservation_not_found);
  REQUIRE(core.cancel.Execute(kAlice, alice.id).ok());
  REQUIRE(core.cancel.Execute(kAlice, alice.id).ok());  // idempotent
  CHECK(core.get.Execute(kAlice, alice.id)->status == ReservationStatus::cancelled);
  CHECK(core.reserve_now({kBob, core.day(7), 5}).ok());
}

TEST_CASE("Confirmation: once per payment, refused after lapse, cancel or another payment") {
  WithConcert core;
  auto r = core.hold(kAlice, 9);
  auto confirmed = core.confirm.Execute(r.id, "pay-1");
  REQUIRE(confirmed.ok());
  CHECK(confirmed->status == ReservationStatus::confirmed);
  CHECK(core.confirm.Execute(r.id, "pay-1").ok());
  CHECK(core.confirm.Execute(r.id, "pay-2").error() == ConcertError::already_confirmed);
  CHECK(core.seat_map_now(core.day(7))->seats[8].status == SeatStatus::sold);
  CHECK(core.cancel.Execute(kAlice, r.id).error() == ConcertError::already_paid);
  CHECK(core.by_payment.Execute("pay-1")->id == r.id);
  CHECK(core.by_payment.Execute("pay-2").error() == ConcertError::reservation_not_found);

  auto lapsing = core.hold(kBob, 10);
  core.now += 300s;
  CHECK(core.confirm.Execute(lapsing.id, "pay-3").error() == ConcertError::reservation_expired);
  CHECK(core.seat_map_now(core.day(7))->seats[9].status == SeatStatus::available);

  auto cancelled = core.hold(kBob, 11);
  REQUIRE(core.cancel.Execute(kBob, cancelled.id).ok());
  CHECK(core.confirm.Execute(cancelled.id, "pay-4").error() == ConcertError::reservation_cancelled);
  CHECK(core.confirm.Execute(12345, "pay-5").error() == ConcertError::reservation_not_found);
}

TEST_CASE("The sweeper marks lapsed holds EXPIRED") {
  WithConcert core;
  auto r = core.hold(kAlice, 1);
  core.hold(kAlice, 2);
  core.now += 300s;
  CHECK(core.store.sweep_lapsed(core.now).lapsed == 2);
  CHECK(core.store.find(r.id)->status == ReservationStatus::expired);
  CHECK(core.store.sweep_lapsed(core.now).lapsed == 0);
}
