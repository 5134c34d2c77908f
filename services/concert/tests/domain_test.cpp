#include <catch2/catch.hpp>

#include "domain/calendar_date.hpp"
#include "domain/reservation.hpp"
#include "domain/rules.hpp"
#include "domain/seat.hpp"

using namespace concert;
using namespace std::chrono_literals;

TEST_CASE("Only real calendar dates in YYYY-MM-DD parse") {
  CHECK(CalendarDate::parse("2026-12-24")->text() == "2026-12-24");
  CHECK(CalendarDate::parse("2028-02-29"));
  for (const char* bad :
       {"2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-12-24",
        "2026/12/24", "2026-12-24T00:00", "", "abcd-ef-gh", "1969-12-31", "2026-12-32"}) {
    INFO(bad);
    CHECK_FALSE(CalendarDate::parse(bad));
  }
}

TEST_CASE("Dates order, add days and know their UTC day") {
  auto christmas = *CalendarDate::parse("2026-12-24");
  CHECK(christmas < *CalendarDate::parse("2026-12-25"));
  CHECK(christmas.plus_days(8).text() == "2027-01-01");
  CHECK(
      CalendarDate::utc_day_of(ticketing::TimePoint(std::chrono::seconds(86400 * 2 + 5))).text() ==
      "1970-01-03");
}

TEST_CASE("A lapsed hold reads AVAILABLE at once") {
  const auto now = ticketing::Clock::now();
  Seat seat{7, 150000, SeatStatus::held, now + 1s};
  CHECK(status_at(seat, now) == SeatStatus::held);
  CHECK(status_at(seat, now + 1s) == SeatStatus::available);
  seat.status = SeatStatus::sold;
  CHECK(status_at(seat, now + 1h) == SeatStatus::sold);
}

TEST_CASE("A HELD reservation past its expiry reads EXPIRED") {
  const auto now = ticketing::Clock::now();
  Reservation r;
  r.expires_at = now + 300s;
  CHECK(status_at(r, now) == ReservationStatus::held);
  CHECK(status_at(r, now + 300s) == ReservationStatus::expired);
}

TEST_CASE("Confirmation decisions") {
  const auto now = ticketing::Clock::now();
  Reservation r;
  r.expires_at = now + 10s;
  CHECK(decide_confirm(r, "p1", now) == ConfirmDecision::confirm);
  CHECK(decide_confirm(r, "p1", now + 10s) == ConfirmDecision::lapsed);
  r.status = ReservationStatus::confirmed;
  r.payment_id = "p1";
  CHECK(decide_confirm(r, "p1", now + 1h) == ConfirmDecision::already_done);
  CHECK(decide_confirm(r, "p2", now) == ConfirmDecision::taken_by_other_payment);
  r.status = ReservationStatus::cancelled;
  CHECK(decide_confirm(r, "p1", now) == ConfirmDecision::cancelled);
}

TEST_CASE("Cancellation decisions and the per-user limit") {
  const auto now = ticketing::Clock::now();
  Reservation r;
  r.expires_at = now + 10s;
  CHECK(decide_cancel(r, now) == CancelDecision::release);
  CHECK(decide_cancel(r, now + 11s) == CancelDecision::nothing_held);
  CHECK(counts_toward_limit(r, now));
  CHECK_FALSE(counts_toward_limit(r, now + 11s));
  r.status = ReservationStatus::confirmed;
  CHECK(decide_cancel(r, now) == CancelDecision::paid);
  CHECK(counts_toward_limit(r, now + 1h));
  CHECK(seat_limit_reached(4, 4));
  CHECK_FALSE(seat_limit_reached(3, 4));
}

TEST_CASE("Each cancel and confirm decision answers with one refusal in every repository") {
  CHECK(refusal_of(CancelDecision::paid) == ConcertError::already_paid);
  CHECK_FALSE(refusal_of(CancelDecision::release).has_value());
  CHECK_FALSE(refusal_of(CancelDecision::nothing_held).has_value());

  CHECK_FALSE(refusal_of(ConfirmDecision::confirm).has_value());
  CHECK_FALSE(refusal_of(ConfirmDecision::already_done).has_value());
  CHECK(refusal_of(ConfirmDecision::lapsed) == ConcertError::reservation_expired);
  CHECK(refusal_of(ConfirmDecision::cancelled) == ConcertError::reservation_cancelled);
  CHECK(refusal_of(ConfirmDecision::taken_by_other_payment) == ConcertError::already_confirmed);
}
