#include "steps.hpp"

#include <catch2/catch.hpp>

#include "checks.hpp"

namespace e2e {
namespace {

Visitor issued(const Reply& reply) {
  require_status(reply, 201);
  const auto token = json_of(reply);
  REQUIRE(std::string(token["status"].GetString()) == "ACTIVE");
  return {token["token"].GetString(), token["userId"].GetString()};
}

}  // namespace

Visitor new_visitor(const Api& api) { return issued(queue_api(api).issue_token()); }

Visitor returning_visitor(const Api& api, const std::string& user_id) {
  return issued(queue_api(api).issue_token_for(user_id));
}

std::string create_concert(const Api& api, int days_from_today, std::int64_t price) {
  const auto date = api.date_in_days(days_from_today);
  require_status(concert_api(api).create_concert("E2E Night", price, {date}), 201);
  return date;
}

int available_seats(const Api& api, const Visitor& visitor, const std::string& date) {
  api.wait_for_replicas();
  const auto reply = concert_api(api).list_dates(visitor);
  require_status(reply, 200);
  const auto list = json_of(reply);
  for (const auto& entry : list["dates"].GetArray()) {
    if (entry["date"].GetString() == date) return entry["availableSeats"].GetInt();
  }
  FAIL(date << " is not among the dates listed: " << reply.body);
  return 0;
}

std::int64_t hold_seat(const Api& api, const Visitor& visitor, const std::string& date,
                       int seat_no) {
  const auto reply = concert_api(api).reserve(visitor, date, seat_no);
  require_status(reply, 201);
  const auto reservation = json_of(reply);
  REQUIRE(std::string(reservation["status"].GetString()) == "HELD");
  return reservation["reservationId"].GetInt64();
}

std::string seat_status(const Api& api, const Visitor& visitor, const std::string& date,
                        int seat_no) {
  api.wait_for_replicas();
  const auto reply = concert_api(api).list_seats(visitor, date);
  require_status(reply, 200);
  const auto map = json_of(reply);
  for (const auto& seat : map["seats"].GetArray()) {
    if (seat["seatNo"].GetInt() == seat_no) return seat["status"].GetString();
  }
  FAIL("seat " << seat_no << " is not in the seat map of " << date);
  return {};
}

std::int64_t charge(const Api& api, const std::string& user_id, std::int64_t amount) {
  const auto reply = payment_api(api).charge(user_id, amount);
  require_status(reply, 200);
  return json_of(reply)["balance"].GetInt64();
}

std::int64_t balance_of(const Api& api, const std::string& user_id) {
  const auto reply = payment_api(api).points(user_id);
  require_status(reply, 200);
  return json_of(reply)["balance"].GetInt64();
}

}  // namespace e2e
