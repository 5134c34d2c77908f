#include "concert_checks.hpp"

#include <catch2/catch.hpp>

#include "api_checks.hpp"
#include "dates.hpp"
#include "rfc3339.hpp"

namespace test_support {

ReservationView require_reservation(const Reply& reply, int status, bool internal) {
  const auto json = require_json(reply, status);
  INFO("body: " << reply.body);
  require_members(json,
                  {"reservationId", "concertId", "date", "seatNo", "price", "status", "expiresAt"});
  REQUIRE(json["reservationId"].IsInt64());
  REQUIRE(json["concertId"].IsInt64());
  REQUIRE(json["date"].IsString());
  REQUIRE(json["seatNo"].IsInt64());
  REQUIRE(json["price"].IsInt64());
  REQUIRE(json["status"].IsString());
  REQUIRE(json["expiresAt"].IsString());
  ReservationView view;
  view.id = json["reservationId"].GetInt64();
  view.concert_id = json["concertId"].GetInt64();
  view.date = json["date"].GetString();
  view.seat_no = json["seatNo"].GetInt64();
  view.price = json["price"].GetInt64();
  view.status = json["status"].GetString();
  view.expires_at = json["expiresAt"].GetString();
  CHECK(view.id >= 1);
  CHECK(view.concert_id >= 1);
  CHECK(rfc3339_ms(view.expires_at).has_value());
  CHECK((view.status == "HELD" || view.status == "CONFIRMED" || view.status == "EXPIRED" ||
         view.status == "CANCELLED"));
  if (internal) {
    REQUIRE(json.HasMember("userId"));
    REQUIRE(json["userId"].IsString());
    view.user_id = json["userId"].GetString();
    REQUIRE(json.HasMember("paymentId"));
    if (json["paymentId"].IsString()) {
      view.payment_id = json["paymentId"].GetString();
    } else {
      REQUIRE(json["paymentId"].IsNull());
    }
  } else {
    CHECK(json.MemberCount() == 7);
  }
  return view;
}

SeatMap require_seat_map(const Reply& reply, const std::string& date) {
  const auto json = require_json(reply, 200);
  REQUIRE(json.HasMember("date"));
  REQUIRE(json["date"].IsString());
  CHECK(std::string(json["date"].GetString()) == date);
  REQUIRE(json.HasMember("concertId"));
  REQUIRE(json["concertId"].IsInt64());
  REQUIRE(json.HasMember("title"));
  REQUIRE(json["title"].IsString());
  REQUIRE(json.HasMember("seats"));
  REQUIRE(json["seats"].IsArray());
  SeatMap map;
  map.concert_id = json["concertId"].GetInt64();
  map.title = json["title"].GetString();
  const auto& seats = json["seats"];
  REQUIRE(seats.Size() == kSeatsPerDate);
  for (rapidjson::SizeType i = 0; i < seats.Size(); ++i) {
    const auto& seat = seats[i];
    REQUIRE(seat.IsObject());
    REQUIRE(seat.HasMember("seatNo"));
    REQUIRE(seat["seatNo"].IsInt64());
    REQUIRE(seat.HasMember("price"));
    REQUIRE(seat["price"].IsInt64());
    REQUIRE(seat.HasMember("status"));
    REQUIRE(seat["status"].IsString());
    const auto seat_no = seat["seatNo"].GetInt64();
    CHECK(seat_no == static_cast<std::int64_t>(i) + 1);  // 1..50 in order
    const std::string status = seat["status"].GetString();
    CHECK((status == "AVAILABLE" || status == "HELD" || status == "SOLD"));
    map.status[seat_no] = status;
    map.price[seat_no] = seat["price"].GetInt64();
  }
  return map;
}

std::vector<DateEntry> require_dates(const Reply& reply) {
  const auto json = require_json(reply, 200);
  REQUIRE(json.HasMember("dates"));
  REQUIRE(json["dates"].IsArray());
  std::vector<DateEntry> out;
  for (const auto& item : json["dates"].GetArray()) {
    REQUIRE(item.IsObject());
    require_members(item, {"date", "concertId", "title", "availableSeats"});
    REQUIRE(item["date"].IsString());
    REQUIRE(item["concertId"].IsInt64());
    REQUIRE(item["title"].IsString());
    REQUIRE(item["availableSeats"].IsInt64());
    out.push_back({item["date"].GetString(), item["concertId"].GetInt64(),
                   item["title"].GetString(), item["availableSeats"].GetInt64()});
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
