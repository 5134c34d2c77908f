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
  auto issue = queue_api(api).issue_token();
  require_status(issue, 201);
  const auto token = json_of(issue);
  const Visitor visitor{token["token"].GetString(), token["userId"].GetString()};
  CHECK(std::string(token["status"].GetString()) == "ACTIVE");
  CHECK(token["position"].GetInt64() == 0);
  CHECK(token["estimatedWaitSeconds"].GetInt64() == 0);
  CHECK(token["expiresAt"].IsString());

  // Asking again for the same user returns the live token (200), never a second one.
  auto again = queue_api(api).issue_token_for(visitor.user_id);
  require_status(again, 200);
  CHECK(std::string(json_of(again)["token"].GetString()) == visitor.token);

  // 2. Polling shows the token admitted.
  auto poll = queue_api(api).poll(visitor.token);
  require_status(poll, 200);
  CHECK(std::string(json_of(poll)["status"].GetString()) == "ACTIVE");
  CHECK(std::string(json_of(poll)["userId"].GetString()) == visitor.user_id);

  // 3. The dates, then the 50 seats of one.
  CHECK(available_seats(api, visitor, date) == 50);

  auto seats = concert_api(api).list_seats(visitor, date);
  require_status(seats, 200);
  const auto seat_map = json_of(seats);
  REQUIRE(seat_map["seats"].Size() == 50);
  for (const auto& seat : seat_map["seats"].GetArray()) {
    CHECK(std::string(seat["status"].GetString()) == "AVAILABLE");
    CHECK(seat["price"].GetInt64() == kPrice);
  }

  // 4. A hold: the seat is the visitor's, HELD in the seat map, one fewer available.
  auto held = concert_api(api).reserve(visitor, date, 7);
  require_status(held, 201);
  const auto reservation = json_of(held);
  const auto reservation_id = reservation["reservationId"].GetInt64();
  CHECK(std::string(reservation["status"].GetString()) == "HELD");
  CHECK(reservation["price"].GetInt64() == kPrice);
  CHECK(held.header("Location") == "/api/v1/reservations/" + std::to_string(reservation_id));
  CHECK(seat_status(api, visitor, date, 7) == "HELD");
  auto read_back = concert_api(api).reservation(visitor, reservation_id);
  require_status(read_back, 200);
  CHECK(std::string(json_of(read_back)["status"].GetString()) == "HELD");

  // 5. Points, with the user id only: no token.
  CHECK(charge(api, visitor.user_id, 200000) == 200000);

  // 6. The payment: points debited, a COMPLETED payment of the token's user.
  auto paid = payment_api(api).pay(visitor, reservation_id);
  require_status(paid, 201);
  const auto payment = json_of(paid);
  const std::string payment_id = payment["paymentId"].GetString();
  CHECK(std::string(payment["status"].GetString()) == "COMPLETED");
  CHECK(std::string(payment["userId"].GetString()) == visitor.user_id);
  CHECK(payment["amount"].GetInt64() == kPrice);
  CHECK(payment["reservationId"].GetInt64() == reservation_id);

  // The token is used up: every queue-gated call and the poll are 401 TOKEN_EXPIRED.
  require_problem(concert_api(api).list_dates(visitor), 401, "TOKEN_EXPIRED");
  require_problem(queue_api(api).poll(visitor.token), 401, "TOKEN_EXPIRED");
  require_problem(payment_api(api).pay(visitor, reservation_id), 401, "TOKEN_EXPIRED");

  // The balance and the ledger (user routes, no token).
  CHECK(balance_of(api, visitor.user_id) == 200000 - kPrice);
  auto history = payment_api(api).history(visitor.user_id);
  require_status(history, 200);
  const auto entries = json_of(history);
  REQUIRE(entries["entries"].Size() == 2);
  CHECK(std::string(entries["entries"][0]["type"].GetString()) == "PAYMENT");
  CHECK(entries["entries"][0]["amount"].GetInt64() == kPrice);
  CHECK(entries["entries"][0]["balanceAfter"].GetInt64() == 200000 - kPrice);
  CHECK(std::string(entries["entries"][1]["type"].GetString()) == "CHARGE");
  CHECK(entries["entries"][1]["balanceAfter"].GetInt64() == 200000);

  auto newest = payment_api(api).history(visitor.user_id, "?limit=1");
  require_status(newest, 200);
  REQUIRE(json_of(newest)["entries"].Size() == 1);
  CHECK(std::string(json_of(newest)["entries"][0]["type"].GetString()) == "PAYMENT");

  auto payments = payment_api(api).payments_of(visitor.user_id);
  require_status(payments, 200);
  REQUIRE(json_of(payments)["payments"].Size() == 1);
  CHECK(std::string(json_of(payments)["payments"][0]["paymentId"].GetString()) == payment_id);

  // With a new token (the user comes back): the seat is SOLD, the reservation CONFIRMED and the
  // payment readable by its owner.
  const auto back = returning_visitor(api, visitor.user_id);
  CHECK(back.token != visitor.token);
  CHECK(seat_status(api, back, date, 7) == "SOLD");
  auto confirmed = concert_api(api).reservation(back, reservation_id);
  require_status(confirmed, 200);
  CHECK(std::string(json_of(confirmed)["status"].GetString()) == "CONFIRMED");
  auto payment_read = payment_api(api).payment(back, payment_id);
  require_status(payment_read, 200);
  CHECK(std::string(json_of(payment_read)["paymentId"].GetString()) == payment_id);
  CHECK(available_seats(api, back, date) == 49);
}

}  // namespace
}  // namespace e2e
