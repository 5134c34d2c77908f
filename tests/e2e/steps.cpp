#include "steps.hpp"

#include <catch2/catch.hpp>

#include "checks.hpp"
#include "support/dates.hpp"
#include "system.hpp"

namespace e2e {
namespace {

Visitor issued(const Reply& reply) {
  require_status(reply, 201);
  const auto token = json_of(reply);
  REQUIRE(std::string(token["status"].GetString()) == "ACTIVE");
  return {token["token"].GetString(), token["userId"].GetString()};
}

}  // namespace

Visitor new_visitor(const Api& api) {
  return issued(api.send("POST", "/api/v1/queue/tokens", "{}"));
}

Visitor returning_visitor(const Api& api, const std::string& user_id) {
  return issued(api.send("POST", "/api/v1/queue/tokens", R"({"userId":")" + user_id + R"("})"));
}

std::string create_concert(const Api& api, int days_from_today, std::int64_t price) {
  const auto date = test_support::date_in_days(days_from_today);
  const auto reply = api.send("POST", "/api/v1/admin/concerts",
                              R"({"title":"E2E Night","price":)" + std::to_string(price) +
                                  R"(,"dates":[")" + date + R"("]})",
                              {{"X-Admin-Key", kAdminKey}});
  require_status(reply, 201);
  return date;
}

std::int64_t hold_seat(const Api& api, const Visitor& visitor, const std::string& date,
                       int seat_no) {
  const auto reply = api.send(
      "POST", "/api/v1/reservations",
      R"({"date":")" + date + R"(","seatNo":)" + std::to_string(seat_no) + "}", visitor.bearer());
  require_status(reply, 201);
  const auto reservation = json_of(reply);
  REQUIRE(std::string(reservation["status"].GetString()) == "HELD");
  return reservation["reservationId"].GetInt64();
}

std::string seat_status(const Api& api, const Visitor& visitor, const std::string& date,
                        int seat_no) {
  const auto reply =
      api.send("GET", "/api/v1/concerts/dates/" + date + "/seats", {}, visitor.bearer());
  require_status(reply, 200);
  const auto map = json_of(reply);
  for (const auto& seat : map["seats"].GetArray()) {
    if (seat["seatNo"].GetInt() == seat_no) return seat["status"].GetString();
  }
  FAIL("seat " << seat_no << " is not in the seat map of " << date);
  return {};
}

std::int64_t charge(const Api& api, const std::string& user_id, std::int64_t amount) {
  const auto reply = api.send("POST", "/api/v1/users/" + user_id + "/points/charge",
                              R"({"amount":)" + std::to_string(amount) + "}");
  require_status(reply, 200);
  return json_of(reply)["balance"].GetInt64();
}

std::int64_t balance_of(const Api& api, const std::string& user_id) {
  const auto reply = api.send("GET", "/api/v1/users/" + user_id + "/points");
  require_status(reply, 200);
  return json_of(reply)["balance"].GetInt64();
}

Reply pay(const Api& api, const Visitor& visitor, std::int64_t reservation_id,
          const Headers& extra_headers) {
  Headers headers = visitor.bearer();
  headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
  return api.send("POST", "/api/v1/payments",
                  R"({"reservationId":)" + std::to_string(reservation_id) + "}", headers);
}

}  // namespace e2e
