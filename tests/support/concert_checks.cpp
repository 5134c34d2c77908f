#include "concert_checks.hpp"

#include <catch2/catch.hpp>

#include "api_checks.hpp"
#include "dates.hpp"
#include "rfc3339.hpp"

namespace test_support {

ReservationView require_reservation(const Reply& reply, int status, bool internal) {
  const auto json = require_json(reply, status);
  INFO("body: " << reply.body);
  ReservationView view;
  require_members(
      json, view, Member("reservationId", &ReservationView::id),
      Member("concertId", &ReservationView::concert_id), Member("date", &ReservationView::date),
      Member("seatNo", &ReservationView::seat_no), Member("price", &ReservationView::price),
      Member("status", &ReservationView::status),
      Member("expiresAt", &ReservationView::expires_at));
  CHECK(view.id >= 1);
  CHECK(view.concert_id >= 1);
  CHECK(rfc3339_ms(view.expires_at).has_value());
  CHECK((view.status == "HELD" || view.status == "CONFIRMED" || view.status == "EXPIRED" ||
         view.status == "CANCELLED"));
  if (internal) {
    view.user_id = require_string(json, "userId");
    view.payment_id = require_string_or_null(json, "paymentId");
  } else {
    CHECK(json.MemberCount() == 7);
  }
  return view;
}

SeatMap require_seat_map(const Reply& reply, const std::string& date) {
  const auto json = require_json(reply, 200);
  CHECK(require_string(json, "date") == date);
  SeatMap map;
  map.concert_id = require_int64(json, "concertId");
  map.title = require_string(json, "title");
  const auto& seats = require_array(json, "seats");
  REQUIRE(seats.Size() == kSeatsPerDate);
  for (rapidjson::SizeType i = 0; i < seats.Size(); ++i) {
    const auto& seat = seats[i];
    REQUIRE(seat.IsObject());
    const auto seat_no = require_int64(seat, "seatNo");
    const auto price = require_int64(seat, "price");
    const auto status = require_string(seat, "status");
    CHECK(seat_no == static_cast<std::int64_t>(i) + 1);  // 1..50 in order
    CHECK((status == "AVAILABLE" || status == "HELD" || status == "SOLD"));
    map.status[seat_no] = status;
    map.price[seat_no] = price;
  }
  return map;
}

std::vector<DateEntry> require_dates(const Reply& reply) {
  const auto json = require_json(reply, 200);
  std::vector<DateEntry> out;
  for (const auto& item : require_array(json, "dates").GetArray()) {
    REQUIRE(item.IsObject());
    out.push_back({require_string(item, "date"), require_int64(item, "concertId"),
                   require_string(item, "title"), require_int64(item, "availableSeats")});
  }
  const auto today = date_in_days(0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    INFO("date " << out[i].date);
    CHECK(out[i].date >= today);
    CHECK(out[i].available >= 1);
    CHECK(out[i].available <= kSeatsPerDate);
    if (i > 0) CHECK(out[i - 1].date < out[i].date);
  }
  return out;
}

std::optional<DateEntry> find_date(const std::vector<DateEntry>& dates, const std::string& date) {
  for (const auto& entry : dates) {
    if (entry.date == date) return entry;
  }
  return std::nullopt;
}

}  // namespace test_support
