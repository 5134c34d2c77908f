// The user's whole journey of the spec, through the gateway, every exchange checked by Prism
// against public.openapi.yaml: a token, polled until admitted, the dates and seats, a hold,
// points, the payment (the seat SOLD, the balance, the history), and the token dead afterwards.
#include <catch2/catch.hpp>
#include <string>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"

namespace e2e {
namespace {

constexpr std::int64_t kPrice = 120000;

TEST_CASE("A visitor's whole journey through the gateway matches the spec and the document",
          "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 3, kPrice);

  // 1. A token; the first call mints the user. Nobody waits, so it is ACTIVE at once.
  auto issue = api.send("POST", "/api/v1/queue/tokens", "{}");
  require_status(issue, 201);
  const auto token = json_of(issue);
  const Visitor visitor{token["token"].GetString(), token["userId"].GetString()};
  CHECK(std::string(token["status"].GetString()) == "ACTIVE");
  CHECK(token["position"].GetInt64() == 0);
  CHECK(token["estimatedWaitSeconds"].GetInt64() == 0);
  CHECK(token["expiresAt"].IsString());

  // Asking again for the same user returns the live token (200), never a second one.
  auto again =
      api.send("POST", "/api/v1/queue/tokens", R"({"userId":")" + visitor.user_id + R"("})");
  require_status(again, 200);
  CHECK(std::string(json_of(again)["token"].GetString()) == visitor.token);

  // 2. Polling shows the token admitted.
  auto poll = api.send("GET", "/api/v1/queue/tokens/me", {}, visitor.bearer());
  require_status(poll, 200);
  CHECK(std::string(json_of(poll)["status"].GetString()) == "ACTIVE");
  CHECK(std::string(json_of(poll)["userId"].GetString()) == visitor.user_id);

  // 3. The dates, then the 50 seats of one.
  auto dates = api.send("GET", "/api/v1/concerts/dates", {}, visitor.bearer());
  require_status(dates, 200);
  const auto date_list = json_of(dates);
  REQUIRE(date_list["dates"].Size() == 1);
  CHECK(std::string(date_list["dates"][0]["date"].GetString()) == date);
  CHECK(date_list["dates"][0]["availableSeats"].GetInt() == 50);

  auto seats = api.send("GET", "/api/v1/concerts/dates/" + date + "/seats", {}, visitor.bearer());
  require_status(seats, 200);
  const auto seat_map = json_of(seats);
  REQUIRE(seat_map["seats"].Size() == 50);
  for (const auto& seat : seat_map["seats"].GetArray()) {
    CHECK(std::string(seat["status"].GetString()) == "AVAILABLE");
    CHECK(seat["price"].GetInt64() == kPrice);
  }

  // 4. A hold: the seat is the visitor's, HELD in the seat map, one fewer available.
  auto held = api.send("POST", "/api/v1/reservations", R"({"date":")" + date + R"(","seatNo":7})",
                       visitor.bearer());
  require_status(held, 201);
  const auto reservation = json_of(held);
  const auto reservation_id = reservation["reservationId"].GetInt64();
  CHECK(std::string(reservation["status"].GetString()) == "HELD");
  CHECK(reservation["price"].GetInt64() == kPrice);
  CHECK(held.header("Location") == "/api/v1/reservations/" + std::to_string(reservation_id));
  CHECK(seat_status(api, visitor, date, 7) == "HELD");
  auto read_back = api.send("GET", "/api/v1/reservations/" + std::to_string(reservation_id), {},
                            visitor.bearer());
  require_status(read_back, 200);
  CHECK(std::string(json_of(read_back)["status"].GetString()) == "HELD");

  // 5. Points, with the user id only: no token.
  CHECK(charge(api, visitor.user_id, 200000) == 200000);

  // 6. The payment: points debited, a COMPLETED payment of the token's user.
  auto paid = pay(api, visitor, reservation_id);
  require_status(paid, 201);
  const auto payment = json_of(paid);
  const std::string payment_id = payment["paymentId"].GetString();
  CHECK(std::string(payment["status"].GetString()) == "COMPLETED");
  CHECK(std::string(payment["userId"].GetString()) == visitor.user_id);
  CHECK(payment["amount"].GetInt64() == kPrice);
  CHECK(payment["reservationId"].GetInt64() == reservation_id);

  // The token is used up: every queue-gated call and the poll are 401 TOKEN_EXPIRED.
  require_problem(api.send("GET", "/api/v1/concerts/dates", {}, visitor.bearer()), 401,
                  "TOKEN_EXPIRED");
  require_problem(api.send("GET", "/api/v1/queue/tokens/me", {}, visitor.bearer()), 401,
                  "TOKEN_EXPIRED");
  require_problem(pay(api, visitor, reservation_id), 401, "TOKEN_EXPIRED");

  // The balance and the ledger (user routes, no token).
  CHECK(balance_of(api, visitor.user_id) == 200000 - kPrice);
  auto history = api.send("GET", "/api/v1/users/" + visitor.user_id + "/points/history");
  require_status(history, 200);
  const auto entries = json_of(history);
  REQUIRE(entries["entries"].Size() == 2);
  CHECK(std::string(entries["entries"][0]["type"].GetString()) == "PAYMENT");
  CHECK(entries["entries"][0]["amount"].GetInt64() == kPrice);
  CHECK(entries["entries"][0]["balanceAfter"].GetInt64() == 200000 - kPrice);
  CHECK(std::string(entries["entries"][1]["type"].GetString()) == "CHARGE");
  CHECK(entries["entries"][1]["balanceAfter"].GetInt64() == 200000);

  auto newest = api.send("GET", "/api/v1/users/" + visitor.user_id + "/points/history?limit=1");
  require_status(newest, 200);
  REQUIRE(json_of(newest)["entries"].Size() == 1);
  CHECK(std::string(json_of(newest)["entries"][0]["type"].GetString()) == "PAYMENT");

  auto payments = api.send("GET", "/api/v1/users/" + visitor.user_id + "/payments");
  require_status(payments, 200);
  REQUIRE(json_of(payments)["payments"].Size() == 1);
  CHECK(std::string(json_of(payments)["payments"][0]["paymentId"].GetString()) == payment_id);

  // With a new token (the user comes back): the seat is SOLD, the reservation CONFIRMED and the
  // payment readable by its owner.
  const auto back = returning_visitor(api, visitor.user_id);
  CHECK(back.token != visitor.token);
  CHECK(seat_status(api, back, date, 7) == "SOLD");
  auto confirmed =
      api.send("GET", "/api/v1/reservations/" + std::to_string(reservation_id), {}, back.bearer());
  require_status(confirmed, 200);
  CHECK(std::string(json_of(confirmed)["status"].GetString()) == "CONFIRMED");
  auto payment_read = api.send("GET", "/api/v1/payments/" + payment_id, {}, back.bearer());
  require_status(payment_read, 200);
  CHECK(std::string(json_of(payment_read)["paymentId"].GetString()) == payment_id);
  auto dates_after = api.send("GET", "/api/v1/concerts/dates", {}, back.bearer());
  require_status(dates_after, 200);
  CHECK(json_of(dates_after)["dates"][0]["availableSeats"].GetInt() == 49);
}

}  // namespace
}  // namespace e2e
