// Points and payments: every public error code of the payment routes, through the gateway.
// Requests the document allows go through the Prism with --errors (Api::send); those it forbids
// (amount not a positive integer, a malformed user or payment id, limit out of range, a
// malformed Idempotency-Key) through the reporting Prism, which still checks the answer.
#include <catch2/catch.hpp>
#include <string>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"
#include "ticketing/ids.hpp"

namespace e2e {
namespace {

constexpr std::int64_t kPrice = 50000;
// A small POINTS_MAX_BALANCE, so that BALANCE_LIMIT_EXCEEDED takes one charge.
constexpr std::int64_t kMaxBalance = 300000;

std::string amount_body(const std::string& amount) { return R"({"amount":)" + amount + "}"; }

TEST_CASE("Charges answer the spec's codes through the gateway", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto user = new_visitor(api).user_id;
  const auto charge_path = "/api/v1/users/" + user + "/points/charge";

  // INVALID_AMOUNT: not a JSON integer from 1 to POINTS_MAX_CHARGE (1000000).
  for (const char* amount : {"0", "-5", "1.5", "\"100\"", "null"}) {
    INFO("amount " << amount);
    require_problem(api.send_violating("POST", charge_path, amount_body(amount)), 400,
                    "INVALID_AMOUNT");
  }
  // The document does not bound amount from above (POINTS_MAX_CHARGE is configurable).
  require_problem(payment_api(api).charge_raw(user, amount_body("1000001")), 400, "INVALID_AMOUNT");

  // INVALID_USER_ID and USER_NOT_FOUND on every user route.
  const auto unknown = ticketing::RandomIds::uuid_v4();
  require_problem(
      api.send_violating("POST", "/api/v1/users/not-a-uuid/points/charge", amount_body("1")), 400,
      "INVALID_USER_ID");
  require_problem(payment_api(api).charge_raw(unknown, amount_body("1")), 404, "USER_NOT_FOUND");
  for (const char* route : {"/points", "/points/history", "/payments"}) {
    INFO("route " << route);
    require_problem(api.send_violating("GET", "/api/v1/users/NOT-A-UUID" + std::string(route)), 400,
                    "INVALID_USER_ID");
    require_problem(api.send("GET", "/api/v1/users/" + unknown + route), 404, "USER_NOT_FOUND");
  }
  // INVALID_REQUEST: limit out of 1..100, an unknown field.
  for (const char* limit : {"0", "101", "x"}) {
    INFO("limit " << limit);
    require_problem(
        api.send_violating("GET", "/api/v1/users/" + user + "/points/history?limit=" + limit), 400,
        "INVALID_REQUEST");
  }
  require_problem(api.send_violating("POST", charge_path, R"({"amount":1,"currency":"KRW"})"), 400,
                  "INVALID_REQUEST");

  // Idempotency-Key: the same key and body replays the first answer, another body is 422.
  const Headers key{{"Idempotency-Key", "top-up-1"}};
  const auto first = payment_api(api).charge_raw(user, amount_body("10"), key);
  require_status(first, 200);
  const auto replayed = payment_api(api).charge_raw(user, amount_body("10"), key);
  require_status(replayed, 200);
  CHECK(replayed.body == first.body);
  CHECK(replayed.header("Idempotency-Replayed") == "true");
  CHECK(balance_of(api, user) == 10);
  require_problem(payment_api(api).charge_raw(user, amount_body("20"), key), 422,
                  "IDEMPOTENCY_KEY_REUSED");
  require_problem(api.send_violating("POST", charge_path, amount_body("10"),
                                     {{"Idempotency-Key", "two words"}}),
                  400, "INVALID_REQUEST");
}

TEST_CASE("A charge over POINTS_MAX_BALANCE is BALANCE_LIMIT_EXCEEDED and changes nothing",
          "[e2e][own-system]") {
  System system({.payment = {{"POINTS_MAX_BALANCE", std::to_string(kMaxBalance)}}});
  const Api& api = system.api;
  const auto user = new_visitor(api).user_id;
  CHECK(charge(api, user, kMaxBalance - 1000) == kMaxBalance - 1000);
  require_problem(payment_api(api).charge_raw(user, amount_body("1001")), 409,
                  "BALANCE_LIMIT_EXCEEDED");
  CHECK(balance_of(api, user) == kMaxBalance - 1000);
}

TEST_CASE("Payments answer the spec's codes through the gateway", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 6, kPrice);
  auto buyer = new_visitor(api);
  const auto other = new_visitor(api);

  // INSUFFICIENT_BALANCE: nothing changes, the hold stays.
  const auto reservation = hold_seat(api, buyer, date, 10);
  charge(api, buyer.user_id, kPrice - 1);
  require_problem(payment_api(api).pay(buyer, reservation), 402, "INSUFFICIENT_BALANCE");
  CHECK(balance_of(api, buyer.user_id) == kPrice - 1);
  CHECK(seat_status(api, buyer, date, 10) == "HELD");

  // RESERVATION_NOT_FOUND: unknown, or another user's.
  require_problem(payment_api(api).pay(buyer, 999999), 404, "RESERVATION_NOT_FOUND");
  require_problem(payment_api(api).pay(other, reservation), 404, "RESERVATION_NOT_FOUND");
  // INVALID_REQUEST: reservationId not a positive integer.
  require_problem(
      api.send_violating("POST", "/api/v1/payments", R"({"reservationId":"10"})", buyer.bearer()),
      400, "INVALID_REQUEST");

  // RESERVATION_EXPIRED: a released hold is not charged.
  const auto released = hold_seat(api, other, date, 11);
  charge(api, other.user_id, kPrice);
  require_status(concert_api(api).cancel(other, released), 204);
  require_problem(payment_api(api).pay(other, released), 410, "RESERVATION_EXPIRED");
  CHECK(balance_of(api, other.user_id) == kPrice);

  // ALREADY_PAID: paying again (with the user's next token), or releasing a paid hold.
  charge(api, buyer.user_id, 1);
  const auto paid = payment_api(api).pay(buyer, reservation);
  require_status(paid, 201);
  const std::string payment_id = json_of(paid)["paymentId"].GetString();
  buyer = returning_visitor(api, buyer.user_id);
  require_problem(payment_api(api).pay(buyer, reservation), 409, "ALREADY_PAID");
  require_problem(concert_api(api).cancel(buyer, reservation), 409, "ALREADY_PAID");
  CHECK(balance_of(api, buyer.user_id) == 0);

  // PAYMENT_NOT_FOUND: unknown, another user's, or not a payment id at all.
  require_problem(
      api.send("GET", "/api/v1/payments/" + ticketing::RandomIds::uuid_v4(), {}, buyer.bearer()),
      404, "PAYMENT_NOT_FOUND");
  require_problem(payment_api(api).payment(other, payment_id), 404, "PAYMENT_NOT_FOUND");
  require_problem(api.send_violating("GET", "/api/v1/payments/not-a-uuid", {}, buyer.bearer()), 404,
                  "PAYMENT_NOT_FOUND");
}

}  // namespace
}  // namespace e2e
