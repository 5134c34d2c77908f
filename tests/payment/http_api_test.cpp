// The payment service's HTTP contract (product spec: points, charges, history, payments,
// idempotency and the error rules), exercised over real HTTP against real processes: the queue,
// concert and payment services wired together (test_support::Stack), each on a throwaway
// database. Requests go through the services' typed clients (support/*_client.hpp), one raw
// HTTP/1.1 exchange each, so that response headers (Location, Allow, WWW-Authenticate,
// Idempotency-Replayed) can be asserted and arbitrary bytes sent. Queue-gated routes get the user
// in X-User-Id, as the gateway passes it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/api_checks.hpp"
#include "support/concert_client.hpp"
#include "support/hostile_bodies.hpp"
#include "support/json.hpp"
#include "support/payment_checks.hpp"
#include "support/payment_client.hpp"
#include "support/queue_client.hpp"
#include "support/race.hpp"
#include "support/raw_http.hpp"
#include "support/rfc3339.hpp"
#include "support/stack.hpp"
#include "ticketing/ids.hpp"

using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

using test_support::now_ms;
using test_support::rfc3339_ms;

using test_support::Headers;

constexpr std::size_t kBodyLimit = 64 * 1024;

using test_support::is_json_content_type;
using test_support::is_problem_content_type;
using test_support::problem_code;
using test_support::repeat;
using test_support::require_bearer_challenge;
using test_support::require_json;
using test_support::require_problem;
using test_support::uppercase;

using test_support::is_canonical_uuid;
using test_support::PaymentView;
using test_support::require_balance;
using test_support::require_history;
using test_support::require_payment;
using test_support::require_payments;

using Answer = test_support::Reply;

// ---------------------------------------------------------------------------------------------
// Ids, dates, times

// A random version-4 UUID in canonical lowercase form: a user nobody registered.
std::string random_uuid() { return ticketing::RandomIds::uuid_v4(); }

// A concert date no test of this file has used yet (dates are never reused within a stack).
std::string unused_date() {
  static std::atomic<int> next{20};
  return test_support::date_in_days(next++);
}

// ---------------------------------------------------------------------------------------------
// The three services, and the calls of this file

test_support::Environment concert_settings(std::string hold_ttl) {
  return {{"SEED_DEMO", "0"}, {"HOLD_TTL_SECONDS", std::move(hold_ttl)}};
}

// Default points policy (POINTS_MAX_CHARGE 1000000, POINTS_MAX_BALANCE 100000000); holds last 300
// s.
test_support::Stack& main_stack() {
  static test_support::Stack stack({}, concert_settings("300"));
  return stack;
}

// A tight points policy (POINTS_MAX_CHARGE 3000, POINTS_MAX_BALANCE 5000); holds lapse after 1 s.
test_support::Stack& tight_stack() {
  static test_support::Stack stack({{"POINTS_MAX_CHARGE", "3000"}, {"POINTS_MAX_BALANCE", "5000"}},
                                   concert_settings("1"));
  return stack;
}

// The payment client of a stack, the concert and queue clients beside it, and the steps that
// fail the test unless they succeed.
struct Api : test_support::PaymentClient {
  explicit Api(test_support::Stack& stack_in)
      : PaymentClient(stack_in.payment_client()),
        stack(stack_in),
        concert(stack_in.concert_client()),
        queue(stack_in.queue_client()) {}

  std::uint16_t port() const { return stack.payment->process->port(); }

  // Fails the test unless the balance reads 200.
  std::int64_t balance(const std::string& user) const {
    return require_balance(points(user), user);
  }
  // Charges and fails the test unless it is 200.
  void fund(const std::string& user, std::int64_t amount) const {
    require_balance(charge(user, amount), user);
  }
  // A seat's status on the concert service's seat map.
  std::string seat_status(const std::string& date, int seat_no) const {
    const auto json = require_json(concert.list_seats(random_uuid(), date), 200);
    REQUIRE(json.HasMember("seats"));
    for (const auto& seat : json["seats"].GetArray()) {
      if (seat["seatNo"].GetInt64() == seat_no) return seat["status"].GetString();
    }
    FAIL("seat " << seat_no << " not on the map of " << date);
    return {};
  }

  test_support::Stack& stack;
  test_support::ConcertClient concert;
  test_support::QueueClient queue;
};

Api main_api() { return Api{main_stack()}; }
Api tight_api() { return Api{tight_stack()}; }

// A user the queue service minted (a visitor), without caring about the token.
std::string known_user(const Api& api) { return api.stack.visitor().user_id; }

std::vector<std::string> malformed_user_ids(const std::string& valid) {
  auto no_dashes = valid;
  no_dashes.erase(std::remove(no_dashes.begin(), no_dashes.end(), '-'), no_dashes.end());
  return {uppercase(valid),
          no_dashes,
          "abc",
          valid + "0",
          valid.substr(0, 35),
          "{" + valid + "}",
          "00000000000000000000000000000000000",
          "g" + valid.substr(1),
          "%20" + valid};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// GET /api/v1/users/{userId}/points

TEST_CASE(
    "Balance: a new user has 0, unknown users are 404 USER_NOT_FOUND, malformed ids 400 "
    "INVALID_USER_ID",
    "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  CHECK(require_balance(api.points(user), user) == 0);

  const auto stranger = random_uuid();
  require_problem(api.points(stranger), 404, "USER_NOT_FOUND");
  require_problem(api.charge(stranger, 100), 404, "USER_NOT_FOUND");
  require_problem(api.history(stranger), 404, "USER_NOT_FOUND");
  require_problem(api.payments_of(stranger), 404, "USER_NOT_FOUND");

  for (const auto& bad : malformed_user_ids(user)) {
    INFO("userId '" << bad << "'");
    require_problem(api.points(bad), 400, "INVALID_USER_ID");
    require_problem(api.charge(bad, 100), 400, "INVALID_USER_ID");
    require_problem(api.history(bad), 400, "INVALID_USER_ID");
    require_problem(api.payments_of(bad), 400, "INVALID_USER_ID");
  }
  // Nothing was charged to the user whose id was misspelt.
  CHECK(api.balance(user) == 0);
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/users/{userId}/points/charge

TEST_CASE("Charging: 200 with the new balance, up to POINTS_MAX_CHARGE (default 1000000) at once",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  CHECK(require_balance(api.charge(user, 1000), user) == 1000);
  CHECK(require_balance(api.charge(user, 2500), user) == 3500);
  CHECK(require_balance(api.charge(user, 1000000), user) == 1003500);
  CHECK(require_balance(api.charge(user, 1), user) == 1003501);
  CHECK(api.balance(user) == 1003501);
  // Another user's balance is their own.
  const auto other = known_user(api);
  CHECK(api.balance(other) == 0);
}

TEST_CASE(
    "Charge amounts that are not JSON integers from 1 to POINTS_MAX_CHARGE are 400 INVALID_AMOUNT",
    "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  api.fund(user, 500);
  for (const std::string& body :
       {R"({"amount":0})"s, R"({"amount":-1})"s, R"({"amount":1000001})"s, R"({"amount":"100"})"s,
        R"({"amount":1.5})"s, R"({"amount":null})"s, R"({})"s, R"({"amount":true})"s,
        R"({"amount":[100]})"s, R"({"amount":{"value":100}})"s,
        R"({"amount":-9223372036854775808})"s, R"({"amount":9223372036854775807})"s,
        R"({"amount":99999999999999999999999})"s}) {
    INFO("body " << body);
    require_problem(api.charge_raw(user, body), 400, "INVALID_AMOUNT");
  }
  CHECK(api.balance(user) == 500);
  CHECK(require_history(api.history(user)).size() == 1);
}

TEST_CASE("Charge bodies of the wrong shape are 400 INVALID_REQUEST, over 64 KiB 413",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  for (const std::string& body :
       {R"({"amount":100,"note":"x"})"s, R"({"amount":100,"amount":100})"s, R"({"amount":)"s,
        R"({"amount":100)"s, R"([{"amount":100}])"s, "[]"s, "100"s, "null"s, R"("amount")"s, ""s,
        R"({"amount":100} {"amount":100})"s, "amount=100"s}) {
    INFO("body '" << body << "'");
    require_problem(api.charge_raw(user, body), 400, "INVALID_REQUEST");
  }
  const std::string padded = R"({"amount":100,"pad":")";
  const auto big = padded + std::string(kBodyLimit + 1 - padded.size() - 2, 'x') + "\"}";
  REQUIRE(big.size() == kBodyLimit + 1);
  require_problem(api.charge_raw(user, big), 413, "PAYLOAD_TOO_LARGE");
  // Exactly 64 KiB is read (and refused only for its unknown field).
  const auto limit = padded + std::string(kBodyLimit - padded.size() - 2, 'x') + "\"}";
  REQUIRE(limit.size() == kBodyLimit);
  require_problem(api.charge_raw(user, limit), 400, "INVALID_REQUEST");
  CHECK(api.balance(user) == 0);
}

TEST_CASE(
    "A lower POINTS_MAX_CHARGE is the largest charge, a balance over POINTS_MAX_BALANCE is 409",
    "[payment-api]") {
  const auto api = tight_api();  // POINTS_MAX_CHARGE 3000, POINTS_MAX_BALANCE 5000
  const auto user = known_user(api);
  require_problem(api.charge(user, 3001), 400, "INVALID_AMOUNT");
  require_problem(api.charge(user, 1000000), 400, "INVALID_AMOUNT");
  CHECK(require_balance(api.charge(user, 3000), user) == 3000);

  require_problem(api.charge(user, 2001), 409, "BALANCE_LIMIT_EXCEEDED");
  CHECK(api.balance(user) == 3000);
  CHECK(require_balance(api.charge(user, 2000), user) == 5000);  // exactly the limit is allowed
  require_problem(api.charge(user, 1), 409, "BALANCE_LIMIT_EXCEEDED");
  CHECK(api.balance(user) == 5000);
  const auto entries = require_history(api.history(user));
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].balance_after == 5000);
  CHECK(entries[1].balance_after == 3000);

  // The amount is checked before the balance: an invalid amount is 400 even on a full balance.
  require_problem(api.charge(user, 0), 400, "INVALID_AMOUNT");
}

TEST_CASE("Concurrent charges of one user are never lost", "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  std::atomic<int> ok{0};
  test_support::race(16, [&](int) {
    for (int i = 0; i < 3; ++i) {
      const auto answer = api.charge(user, 100);
      if (answer.status != 200)
        throw std::runtime_error("charge answered " + std::to_string(answer.status) + ": " +
                                 answer.body);
      ++ok;
    }
  });
  CHECK(ok == 48);
  CHECK(api.balance(user) == 4800);
  // Newest first: each entry 100 above the one after it (createdAt order: see the next test).
  const auto entries = require_history(api.history(user, "?limit=100"), false);
  REQUIRE(entries.size() == 48);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].type == "CHARGE");
    CHECK(entries[i].balance_after == 4800 - 100 * static_cast<std::int64_t>(i));
  }
}

// Known issue: ChargePoints reads the clock before the charge waits for the user's balance row,
// and the ledger lists entries by insertion (id DESC), so a charge that waited shows an older
// createdAt above a newer one.
TEST_CASE("History after concurrent charges: createdAt never increases down the list",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  test_support::race(16, [&](int) {
    for (int i = 0; i < 3; ++i) {
      const auto answer = api.charge(user, 10);
      if (answer.status != 200)
        throw std::runtime_error("charge answered " + std::to_string(answer.status));
    }
  });
  const auto answer = api.history(user, "?limit=100");
  const auto entries = require_history(answer, false);
  REQUIRE(entries.size() == 48);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    INFO("entry " << i - 1 << " (balanceAfter " << entries[i - 1].balance_after << ") above entry "
                  << i << " (balanceAfter " << entries[i].balance_after << ")");
    CHECK(entries[i - 1].created_ms >= entries[i].created_ms);
  }
}

// ---------------------------------------------------------------------------------------------
// Idempotency-Key on charges

TEST_CASE(
    "Charge with an Idempotency-Key: a repeat replays, another body is 422, keys are per user",
    "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  const Headers key{{"Idempotency-Key", "charge-" + random_uuid()}};

  const auto first = api.charge(user, 700, key);
  CHECK(require_balance(first, user) == 700);
  CHECK(first.header("Idempotency-Replayed") != std::optional<std::string>("true"));

  const auto again = api.charge(user, 700, key);
  CHECK(again.status == first.status);
  CHECK(again.body == first.body);
  CHECK(is_json_content_type(again.content_type()));
  CHECK(again.header("Idempotency-Replayed") == std::optional<std::string>("true"));
  CHECK(api.balance(user) == 700);  // charged once

  require_problem(api.charge(user, 800, key), 422, "IDEMPOTENCY_KEY_REUSED");
  // The same amount spelt differently is another body, too.
  require_problem(api.charge_raw(user, R"({ "amount": 700 })", key), 422, "IDEMPOTENCY_KEY_REUSED");
  CHECK(api.balance(user) == 700);
  CHECK(require_history(api.history(user)).size() == 1);

  // Another user with the same key is a request of their own.
  const auto other = known_user(api);
  CHECK(require_balance(api.charge(other, 700, key), other) == 700);
  CHECK(require_balance(api.charge(other, 700, key), other) == 700);
  CHECK(api.balance(other) == 700);
  CHECK(api.balance(user) == 700);

  // A new key charges again; without a key every request charges.
  CHECK(require_balance(api.charge(user, 700, {{"Idempotency-Key", "charge-" + random_uuid()}}),
                        user) == 1400);
  CHECK(require_balance(api.charge(user, 700), user) == 2100);
  CHECK(require_balance(api.charge(user, 700), user) == 2800);
}

TEST_CASE("A refused charge under an Idempotency-Key replays the refusal", "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  const Headers key{{"Idempotency-Key", "refused-" + random_uuid()}};
  const auto first = api.charge(user, 0, key);
  require_problem(first, 400, "INVALID_AMOUNT");
  const auto again = api.charge(user, 0, key);
  require_problem(again, 400, "INVALID_AMOUNT");
  CHECK(again.body == first.body);
  CHECK(again.header("Idempotency-Replayed") == std::optional<std::string>("true"));
  CHECK(api.balance(user) == 0);
}

TEST_CASE("Idempotency-Keys that are not 1..255 visible ASCII characters are 400 INVALID_REQUEST",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  for (const std::string& bad : {""s, std::string(256, 'k'), "with space"s, "ключ"s, "caf\xc3\xa9"s,
                                 "a\x7f"s, "\xff"s, "tab\there"s}) {
    INFO("Idempotency-Key '" << bad << "' (" << bad.size() << " bytes)");
    require_problem(api.charge(user, 100, {{"Idempotency-Key", bad}}), 400, "INVALID_REQUEST");
  }
  CHECK(api.balance(user) == 0);
  // The extremes that are allowed: 1 and 255 characters, every visible ASCII character.
  CHECK(require_balance(api.charge(user, 100, {{"Idempotency-Key", "k"}}), user) == 100);
  CHECK(require_balance(api.charge(user, 100, {{"Idempotency-Key", std::string(255, 'k')}}),
                        user) == 200);
  std::string visible;
  for (char c = 0x21; c < 0x7f; ++c) visible += c;
  CHECK(require_balance(api.charge(user, 100, {{"Idempotency-Key", visible}}), user) == 300);
  CHECK(require_balance(api.charge(user, 100, {{"Idempotency-Key", visible}}), user) == 300);
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/users/{userId}/points/history

TEST_CASE("History: newest first with running balances, limit 1..100, default 20",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  CHECK(require_history(api.history(user)).empty());

  for (int amount : {100, 200, 300}) api.fund(user, amount);
  const auto entries = require_history(api.history(user));
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].type == "CHARGE");
  CHECK(entries[0].amount == 300);
  CHECK(entries[0].balance_after == 600);
  CHECK(entries[1].amount == 200);
  CHECK(entries[1].balance_after == 300);
  CHECK(entries[2].amount == 100);
  CHECK(entries[2].balance_after == 100);
  CHECK(std::llabs(entries[0].created_ms - now_ms()) < 60'000);

  const auto newest = require_history(api.history(user, "?limit=1"));
  REQUIRE(newest.size() == 1);
  CHECK(newest[0].amount == 300);
  CHECK(require_history(api.history(user, "?limit=2")).size() == 2);

  for (int i = 0; i < 22; ++i) api.fund(user, 1);  // 25 entries in all
  CHECK(require_history(api.history(user)).size() == 20);
  const auto all = require_history(api.history(user, "?limit=100"));
  REQUIRE(all.size() == 25);
  CHECK(all.front().balance_after == 622);
  CHECK(all.back().balance_after == 100);
  CHECK(require_history(api.history(user, "?limit=25")).size() == 25);
  CHECK(require_history(api.history(user, "?limit=24")).size() == 24);

  for (const char* query :
       {"?limit=0", "?limit=101", "?limit=-1", "?limit=abc", "?limit=1.5", "?limit=", "?limit=1000",
        "?limit=99999999999999999999", "?limit=%2B5", "?limit=1e1", "?limit=%00"}) {
    INFO("query " << query);
    require_problem(api.history(user, query), 400, "INVALID_REQUEST");
  }
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/payments and GET /api/v1/payments/{paymentId}

TEST_CASE("Paying a hold: 201 payment with Location, points debited, seat SOLD, token expired",
          "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 30000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 7);
  api.fund(visitor.user_id, 50000);
  CHECK(api.seat_status(date, 7) == "HELD");
  CHECK(api.queue.poll(visitor.token).status == 200);

  const auto before = now_ms();
  const auto answer = api.pay(visitor, reservation);
  const auto paid = require_payment(answer, 201);
  CHECK(paid.reservation_id == reservation);
  CHECK(paid.user_id == visitor.user_id);
  CHECK(paid.amount == 30000);
  CHECK(paid.paid_ms >= before - 5000);
  CHECK(paid.paid_ms <= now_ms() + 5000);
  CHECK(answer.header("Location") == std::optional<std::string>("/api/v1/payments/" + paid.id));

  CHECK(api.balance(visitor.user_id) == 20000);
  CHECK(api.seat_status(date, 7) == "SOLD");
  require_problem(api.queue.poll(visitor.token), 401, "TOKEN_EXPIRED");

  const auto entries = require_history(api.history(visitor.user_id));
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].type == "PAYMENT");
  CHECK(entries[0].amount == 30000);
  CHECK(entries[0].balance_after == 20000);
  CHECK(entries[1].type == "CHARGE");

  // The payer reads it back; it is the same document.
  const auto read = api.payment(visitor.user_id, paid.id);
  CHECK(require_payment(read, 200).id == paid.id);
  CHECK(read.body == answer.body);
  const auto listed = require_payments(api.payments_of(visitor.user_id));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == paid.id);

  // Paying again is 409 ALREADY_PAID and charges nothing.
  require_problem(api.pay(visitor, reservation), 409, "ALREADY_PAID");
  CHECK(api.balance(visitor.user_id) == 20000);
  CHECK(require_payments(api.payments_of(visitor.user_id)).size() == 1);
}

TEST_CASE(
    "Reading a payment: only its payer, others, unknown and malformed ids are 404 "
    "PAYMENT_NOT_FOUND",
    "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  api.fund(visitor.user_id, 1000);
  const auto paid =
      require_payment(api.pay(visitor, api.stack.hold(visitor.user_id, date, 1)), 201);

  CHECK(require_payment(api.payment(visitor.user_id, paid.id), 200).id == paid.id);
  require_problem(api.payment(known_user(api), paid.id), 404, "PAYMENT_NOT_FOUND");
  require_problem(api.payment(random_uuid(), paid.id), 404, "PAYMENT_NOT_FOUND");
  for (const std::string& bad : {random_uuid(), uppercase(paid.id), "abc"s, "1"s, paid.id + "0",
                                 paid.id.substr(1), "%20" + paid.id, std::string(300, 'p')}) {
    INFO("paymentId '" << bad << "'");
    require_problem(api.payment(visitor.user_id, bad), 404, "PAYMENT_NOT_FOUND");
  }
  // The gateway's X-User-Id is required here too.
  require_bearer_challenge(api.get("/api/v1/payments/" + paid.id), "TOKEN_INVALID");
  require_bearer_challenge(
      api.get("/api/v1/payments/" + paid.id, {{"X-User-Id", uppercase(visitor.user_id)}}),
      "TOKEN_INVALID");
}

TEST_CASE("A short balance is 402 INSUFFICIENT_BALANCE and nothing changes", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 30000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 3);

  require_problem(api.pay(visitor, reservation), 402,
                  "INSUFFICIENT_BALANCE");  // never charged at all
  api.fund(visitor.user_id, 29999);
  require_problem(api.pay(visitor, reservation), 402, "INSUFFICIENT_BALANCE");
  CHECK(api.balance(visitor.user_id) == 29999);
  CHECK(require_history(api.history(visitor.user_id)).size() == 1);
  CHECK(require_payments(api.payments_of(visitor.user_id)).empty());
  CHECK(api.seat_status(date, 3) == "HELD");
  CHECK(api.queue.poll(visitor.token).status == 200);

  // Topped up, the same hold is paid with the balance exactly spent.
  api.fund(visitor.user_id, 1);
  CHECK(require_payment(api.pay(visitor, reservation), 201).amount == 30000);
  CHECK(api.balance(visitor.user_id) == 0);
  CHECK(api.seat_status(date, 3) == "SOLD");
}

TEST_CASE("Unknown and other users' reservations are 404 RESERVATION_NOT_FOUND", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 5000);
  const auto owner = api.stack.visitor();
  const auto intruder = api.stack.visitor();
  const auto reservation = api.stack.hold(owner.user_id, date, 9);
  api.fund(intruder.user_id, 10000);

  require_problem(api.pay(intruder, reservation), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.pay(intruder, 999999999), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.pay(intruder, 9223372036854775807), 404, "RESERVATION_NOT_FOUND");
  CHECK(api.balance(intruder.user_id) == 10000);
  CHECK(api.seat_status(date, 9) == "HELD");
  CHECK(api.queue.poll(intruder.token).status == 200);
  CHECK(require_payments(api.payments_of(intruder.user_id)).empty());
}

TEST_CASE("A cancelled hold is 410 RESERVATION_EXPIRED and nothing is charged", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 4000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 11);
  api.fund(visitor.user_id, 10000);
  REQUIRE(api.concert.cancel(visitor.user_id, reservation).status == 204);

  require_problem(api.pay(visitor, reservation), 410, "RESERVATION_EXPIRED");
  CHECK(api.balance(visitor.user_id) == 10000);
  const auto entries = require_history(api.history(visitor.user_id));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].type == "CHARGE");
  CHECK(require_payments(api.payments_of(visitor.user_id)).empty());
  CHECK(api.seat_status(date, 11) == "AVAILABLE");
}

TEST_CASE("A lapsed hold (HOLD_TTL_SECONDS=1) is 410 RESERVATION_EXPIRED and nothing is charged",
          "[payment-api]") {
  const auto api = tight_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  api.fund(visitor.user_id, 2000);
  const auto reservation = api.stack.hold(visitor.user_id, date, 5);
  std::this_thread::sleep_for(1600ms);

  require_problem(api.pay(visitor, reservation), 410, "RESERVATION_EXPIRED");
  CHECK(api.balance(visitor.user_id) == 2000);
  CHECK(require_history(api.history(visitor.user_id)).size() == 1);
  CHECK(require_payments(api.payments_of(visitor.user_id)).empty());
  CHECK(api.seat_status(date, 5) == "AVAILABLE");

  // A fresh hold of the same seat (paid at once, before it lapses) goes through.
  const auto again = api.stack.hold(visitor.user_id, date, 5);
  CHECK(require_payment(api.pay(visitor, again), 201).amount == 1000);
  CHECK(api.balance(visitor.user_id) == 1000);
}

TEST_CASE("Payment bodies of the wrong shape are 400 INVALID_REQUEST", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 2);
  api.fund(visitor.user_id, 5000);
  const Headers headers{{"X-User-Id", visitor.user_id},
                        {"Authorization", "Bearer " + visitor.token}};
  const auto id = std::to_string(reservation);
  for (const std::string& body :
       {R"({"reservationId":0})"s, R"({"reservationId":-5})"s, R"({"reservationId":")" + id + "\"}",
        R"({"reservationId":1.5})"s, R"({"reservationId":)" + id + ".0}", R"({})"s,
        R"({"reservationId":null})"s, R"({"reservationId":true})"s,
        R"({"reservationId":[)" + id + "]}", R"({"reservationId":)" + id + R"(,"x":1})",
        R"({"reservationId":)"s, "["s + R"({"reservationId":)" + id + "}]", ""s, "null"s,
        R"({"reservationId":99999999999999999999})"s}) {
    INFO("body '" << body << "'");
    require_problem(api.pay_raw(headers, body), 400, "INVALID_REQUEST");
  }
  const std::string padded = R"({"reservationId":)" + id + R"(,"pad":")";
  require_problem(
      api.pay_raw(headers, padded + std::string(kBodyLimit + 1 - padded.size() - 2, 'x') + "\"}"),
      413, "PAYLOAD_TOO_LARGE");
  CHECK(api.balance(visitor.user_id) == 5000);
  CHECK(api.seat_status(date, 2) == "HELD");
}

TEST_CASE("Paying without a valid X-User-Id is 401 TOKEN_INVALID", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 4);
  api.fund(visitor.user_id, 5000);
  const auto body = R"({"reservationId":)" + std::to_string(reservation) + "}";
  const std::string bearer = "Bearer " + visitor.token;
  for (const Headers& headers :
       {Headers{{"Authorization", bearer}}, Headers{},
        Headers{{"X-User-Id", ""}, {"Authorization", bearer}},
        Headers{{"X-User-Id", uppercase(visitor.user_id)}, {"Authorization", bearer}},
        Headers{{"X-User-Id", "abc"}, {"Authorization", bearer}},
        Headers{{"X-User-Id", visitor.user_id + "0"}, {"Authorization", bearer}},
        Headers{{"X-User-Id", "Bearer " + visitor.user_id}, {"Authorization", bearer}}}) {
    INFO("headers: " << headers.size() << (headers.empty() ? "" : " first " + headers[0].second));
    require_bearer_challenge(api.pay_raw(headers, body), "TOKEN_INVALID");
  }
  CHECK(api.balance(visitor.user_id) == 5000);
  CHECK(api.seat_status(date, 4) == "HELD");
}

TEST_CASE(
    "Payment with an Idempotency-Key: a repeat replays the 201 and charges once, another body 422",
    "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 2000);
  const auto visitor = api.stack.visitor();
  const auto first_hold = api.stack.hold(visitor.user_id, date, 20);
  const auto second_hold = api.stack.hold(visitor.user_id, date, 21);
  api.fund(visitor.user_id, 10000);
  const Headers key{{"Idempotency-Key", "pay-" + random_uuid()}};

  const auto first = api.pay(visitor, first_hold, key);
  const auto paid = require_payment(first, 201);
  CHECK(first.header("Idempotency-Replayed") != std::optional<std::string>("true"));
  const auto again = api.pay(visitor, first_hold, key);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(is_json_content_type(again.content_type()));
  CHECK(again.header("Idempotency-Replayed") == std::optional<std::string>("true"));
  CHECK(api.balance(visitor.user_id) == 8000);

  require_problem(api.pay(visitor, second_hold, key), 422, "IDEMPOTENCY_KEY_REUSED");
  CHECK(api.balance(visitor.user_id) == 8000);
  CHECK(api.seat_status(date, 21) == "HELD");
  const auto listed = require_payments(api.payments_of(visitor.user_id));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == paid.id);

  require_problem(api.pay(visitor, first_hold, {{"Idempotency-Key", std::string(256, 'x')}}), 400,
                  "INVALID_REQUEST");
  require_problem(api.pay(visitor, first_hold, {{"Idempotency-Key", "has space"}}), 400,
                  "INVALID_REQUEST");
}

TEST_CASE(
    "A payment whose process died keeps its Idempotency-Key: a repeat is 409 "
    "IDEMPOTENCY_IN_PROGRESS",
    "[payment-api]") {
  // Holds of 300 s: the restarts below take longer than the tight stack's 1 s holds.
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 33);
  api.fund(visitor.user_id, 3000);
  const Headers key{{"Idempotency-Key", "crash-" + random_uuid()}};

  // The process dies right after the debit, with the key claimed and no answer kept.
  api.stack.restart_payment({{"PAYMENT_FAULT_POINT", "after_debit"}});
  bool answered = true;
  try {
    const auto answer = api.pay(visitor, reservation, key);
    INFO("answer " << answer.status << ": " << answer.body);
  } catch (const std::exception&) {
    answered = false;
  }
  CHECK_FALSE(answered);
  // Back without the fault (recovery waits RECOVERY_GRACE_SECONDS, 10 s by default).
  api.stack.restart_payment({{"PAYMENT_FAULT_POINT", "none"}});

  const auto repeat = api.pay(visitor, reservation, key);
  require_problem(repeat, 409, "IDEMPOTENCY_IN_PROGRESS");
  CHECK(api.balance(visitor.user_id) == 2000);  // debited once, before the crash

  // Without the key it is another request: the reservation is being paid already.
  require_problem(api.pay(visitor, reservation), 409, "ALREADY_PAID");
  // With the key, once recovery has settled it: the payment itself.
  std::optional<test_support::Reply> settled;
  for (int i = 0; i < 150 && (!settled || settled->status == 409); ++i) {
    if (settled) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    settled = api.pay(visitor, reservation, key);
  }
  REQUIRE(settled);
  require_payment(*settled, 201);
  CHECK(api.balance(visitor.user_id) == 2000);
  const auto listed = require_payments(api.payments_of(visitor.user_id));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].reservation_id == reservation);
  CHECK(api.seat_status(date, 33) == "SOLD");
}

TEST_CASE("Concurrent charges with one Idempotency-Key charge once", "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  const Headers key{{"Idempotency-Key", "race-" + random_uuid()}};
  std::mutex mutex;
  std::vector<std::string> bodies, unexpected;
  int in_progress = 0;
  test_support::race(8, [&](int) {
    const auto answer = api.charge(user, 250, key);
    std::lock_guard lock(mutex);
    if (answer.status == 200)
      bodies.push_back(answer.body);
    else if (answer.status == 409 && problem_code(answer) == "IDEMPOTENCY_IN_PROGRESS")
      ++in_progress;
    else
      unexpected.push_back(std::to_string(answer.status) + " " + answer.body);
  });
  INFO("unexpected answers: " << unexpected.size()
                              << (unexpected.empty() ? "" : ", first " + unexpected[0]));
  CHECK(unexpected.empty());
  REQUIRE(!bodies.empty());
  for (const auto& body : bodies) CHECK(body == bodies.front());
  CHECK(bodies.size() + in_progress == 8);
  CHECK(api.balance(user) == 250);
}

TEST_CASE("Concurrent payments of one reservation charge once", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 3000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 30);
  api.fund(visitor.user_id, 30000);
  // A request that finds the user's own payment of the reservation still running resumes it
  // (201 with that same payment); one that finds it done is 409 ALREADY_PAID. Either way the
  // user is charged once and there is one payment.
  std::mutex mutex;
  std::vector<std::string> created_ids;
  std::vector<std::string> unexpected;
  int already_paid = 0;
  test_support::race(8, [&](int) {
    const auto answer = api.pay(visitor, reservation);
    std::lock_guard lock(mutex);
    if (answer.status == 201) {
      created_ids.push_back(test_support::parse_json(answer.body)["paymentId"].GetString());
    } else if (answer.status == 409 && problem_code(answer) == "ALREADY_PAID") {
      ++already_paid;
    } else {
      unexpected.push_back(std::to_string(answer.status) + " " + answer.body);
    }
  });
  INFO("unexpected answers: " << unexpected.size()
                              << (unexpected.empty() ? "" : ", first " + unexpected[0]));
  CHECK(unexpected.empty());
  REQUIRE(!created_ids.empty());
  CHECK(created_ids.size() + already_paid == 8);
  for (const auto& id : created_ids) CHECK(id == created_ids.front());
  CHECK(api.balance(visitor.user_id) == 27000);
  const auto listed = require_payments(api.payments_of(visitor.user_id));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == created_ids.front());
  CHECK(api.seat_status(date, 30) == "SOLD");
  const auto entries = require_history(api.history(visitor.user_id));
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].type == "PAYMENT");
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/users/{userId}/payments

TEST_CASE("A user's payments: newest first, only COMPLETED ones", "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1500);
  const auto visitor = api.stack.visitor();
  CHECK(require_payments(api.payments_of(visitor.user_id)).empty());

  const auto first_hold = api.stack.hold(visitor.user_id, date, 40);
  const auto second_hold = api.stack.hold(visitor.user_id, date, 41);
  const auto cancelled_hold = api.stack.hold(visitor.user_id, date, 42);
  const auto short_hold = api.stack.hold(visitor.user_id, date, 43);
  api.fund(visitor.user_id, 3000);
  const auto first = require_payment(api.pay(visitor, first_hold), 201);
  std::this_thread::sleep_for(20ms);
  const auto second = require_payment(api.pay(visitor, second_hold), 201);
  REQUIRE(api.concert.cancel(visitor.user_id, cancelled_hold).status == 204);
  api.fund(visitor.user_id, 1000);
  require_problem(api.pay(visitor, cancelled_hold), 410, "RESERVATION_EXPIRED");
  require_problem(api.pay(visitor, short_hold), 402, "INSUFFICIENT_BALANCE");

  const auto listed = require_payments(api.payments_of(visitor.user_id));
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == second.id);
  CHECK(listed[0].reservation_id == second_hold);
  CHECK(listed[1].id == first.id);
  CHECK(listed[1].reservation_id == first_hold);
  CHECK(listed[0].paid_ms >= listed[1].paid_ms);
  for (const auto& payment : listed) {
    CHECK(payment.user_id == visitor.user_id);
    CHECK(payment.amount == 1500);
  }
  // Someone else's list does not show them.
  CHECK(require_payments(api.payments_of(known_user(api))).empty());
}

// ---------------------------------------------------------------------------------------------
// Routing and operations

TEST_CASE("Unknown routes are 404 NOT_FOUND and wrong methods 405 METHOD_NOT_ALLOWED with Allow",
          "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  const Headers as_user{{"X-User-Id", user}};
  for (const std::string& target :
       {"/"s, "/api/v1/nope"s, "/api/v1/users"s, "/api/v1/users/" + user,
        "/api/v1/users/" + user + "/points/x", "/api/v1/users/" + user + "/charge",
        "/api/v1/users//points"s, "/api/v1/payments/a/b"s, "/api/v1/users/" + user + "/payments/1",
        "/api/v1/points"s, "/internal/v1/nope"s}) {
    INFO("GET " << target);
    require_problem(api.get(target, as_user), 404, "NOT_FOUND");
  }

  struct Case {
    std::string method;
    std::string target;
    std::vector<std::string> allowed;
  };
  const auto users = "/api/v1/users/" + user;
  for (const auto& c : std::vector<Case>{{"POST", users + "/points", {"GET"}},
                                         {"DELETE", users + "/points", {"GET"}},
                                         {"GET", users + "/points/charge", {"POST"}},
                                         {"PUT", users + "/points/charge", {"POST"}},
                                         {"POST", users + "/points/history", {"GET"}},
                                         {"POST", users + "/payments", {"GET"}},
                                         {"GET", "/api/v1/payments", {"POST"}},
                                         {"DELETE", "/api/v1/payments", {"POST"}},
                                         {"POST", "/api/v1/payments/" + random_uuid(), {"GET"}},
                                         {"DELETE", "/api/v1/payments/" + random_uuid(), {"GET"}},
                                         {"POST", "/healthz", {"GET"}}}) {
    INFO(c.method << " " << c.target);
    const auto answer = api.send(c.method, c.target, "{}", as_user);
    require_problem(answer, 405, "METHOD_NOT_ALLOWED");
    const auto allow = answer.header("Allow");
    REQUIRE(allow.has_value());
    for (const auto& method : c.allowed) CHECK(allow->find(method) != std::string::npos);
    CHECK(allow->find(c.method) == std::string::npos);
  }
  CHECK(api.balance(user) == 0);
}

TEST_CASE("Health, readiness and metrics", "[payment-api]") {
  const auto api = main_api();
  const auto user = known_user(api);
  api.fund(user, 10);

  const auto metrics = test_support::require_operations_endpoints(
      api, {"http_requests_total", "payment_recovered_total"});
  // Requests are counted by route pattern, not by raw path (no user ids in label values).
  CHECK(metrics.find(user) == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Hostile input

TEST_CASE("Hostile bodies and paths are answered 4xx, never 5xx, and the service stays healthy",
          "[payment-api]") {
  const auto api = main_api();
  const auto date = api.stack.concert_on(unused_date(), 1000);
  const auto visitor = api.stack.visitor();
  const auto reservation = api.stack.hold(visitor.user_id, date, 50);
  const auto user = visitor.user_id;
  const Headers as_user{{"X-User-Id", user}, {"Authorization", "Bearer " + visitor.token}};
  const auto id = std::to_string(reservation);

  std::vector<std::string> bodies = test_support::hostile_json_bodies();
  bodies.insert(bodies.end(),
                {R"({"amount":)" + repeat("[", 10000) + repeat("]", 10000) + "}",
                 R"({"reservationId":)" + repeat(R"({"a":)", 5000) + "1" + repeat("}", 5000) + "}",
                 R"({"amount":1e400})",
                 R"({"amount":-1e400})",
                 R"({"reservationId":1e400})",
                 R"({"amount":)" + std::string(5000, '9') + "}",
                 R"({"reservationId":)" + std::string(5000, '9') + "}",
                 R"({"amount":0.)" + std::string(400, '0') + "1}",
                 R"({"amount":1.)" + std::string(600, '0') + "}",
                 R"({"reservationId":1e-99999})",
                 "{\"amount\":100}\0"s,
                 "{\"reservationId\":" + id + "}\0garbage"s,
                 "{\"amount\":100,\"\xff\":1}"s,
                 "{\"amount\xc0\xaf\":100}",
                 R"({"amount":100,"x":"\ud800"})",
                 R"({"amount":100,})",
                 R"({"amount" 100})",
                 R"({"amount":+100})",
                 R"({"amount":0x10})",
                 R"({"amount":0100})",
                 R"({"amount":NaN})"});
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    for (const bool pay : {false, true}) {
      INFO("body #" << i << " (" << bodies[i].size() << " bytes) to "
                    << (pay ? "POST /api/v1/payments" : "charge") << ": "
                    << bodies[i].substr(0, 60));
      const auto answer = pay ? api.pay_raw(as_user, bodies[i]) : api.charge_raw(user, bodies[i]);
      INFO("answer " << answer.status << ": " << answer.body.substr(0, 300));
      CHECK(answer.status >= 400);
      CHECK(answer.status < 500);
      CHECK(is_problem_content_type(answer.content_type()));
    }
  }

  const std::vector<std::string> paths = {
      "/api/v1/users/%00/points",
      "/api/v1/users/" + user + "%00/points",
      "/api/v1/users/%ff%fe%fd/points",
      "/api/v1/users/%zz/points",
      "/api/v1/users/%/points",
      "/api/v1/users/%2e%2e/points",
      "/api/v1/users/..%2F..%2Fhealthz/points",
      "/api/v1/users/" + std::string(4000, 'u') + "/points",
      "/api/v1/users/" + user + "%2Fpoints/history",
      "/api/v1/users/" + user + "/points/history?limit=%ff",
      "/api/v1/users/" + user + "/points/history?limit=%",
      "/api/v1/users/" + user + "/points/history?%00=%00&limit=1%00",
      "/api/v1/users/" + user + "/points/history?limit=" + std::string(4000, '9'),
      "/api/v1/users/%c3%28/payments",
      "/api/v1/payments/%00",
      "/api/v1/payments/%ff%fe",
      "/api/v1/payments/%c3%28",
      "/api/v1/payments/%2e%2e",
      "/api/v1/payments/..%2F..%2Fhealthz",
      "/api/v1/payments/%zz",
      "/api/v1/payments/" + std::string(4000, 'p'),
      "/api/v1/payments/" + random_uuid() + "%00",
      "/api/v1/payments/../users/" + user + "/points",
      "//api/v1/payments",
  };
  for (const auto& path : paths) {
    INFO("GET " << path.substr(0, 100));
    const auto answer = api.get(path, as_user);
    INFO("answer " << answer.status << ": " << answer.body.substr(0, 300));
    CHECK(answer.status < 500);
    if (answer.status >= 400) CHECK(is_problem_content_type(answer.content_type()));
  }
  // Charges on odd paths are refused, whatever their body.
  for (const auto& path : {"/api/v1/users/%00/points/charge"s, "/api/v1/users/%ff/points/charge"s,
                           "/api/v1/users/" + uppercase(user) + "/points/charge"}) {
    INFO("POST " << path);
    const auto answer = api.send("POST", path, R"({"amount":100})");
    CHECK(answer.status >= 400);
    CHECK(answer.status < 500);
  }
  // Odd headers.
  for (const Headers& headers :
       {Headers{{"X-User-Id", "\xff\xfe"}}, Headers{{"X-User-Id", std::string(8000, 'a')}},
        Headers{{"X-User-Id", user}, {"X-User-Id", random_uuid()}},
        Headers{{"X-User-Id", user}, {"Idempotency-Key", std::string(8000, 'k')}},
        Headers{{"X-User-Id", user}, {"Authorization", std::string(8000, 'b')}}}) {
    const auto answer = api.pay_raw(headers, R"({"reservationId":)" + id + "}");
    INFO("answer " << answer.status << ": " << answer.body.substr(0, 300));
    CHECK(answer.status >= 400);
    CHECK(answer.status < 500);
  }
  // Malformed HTTP itself.
  for (
      const std::string& raw :
      {"GARBAGE\r\n\r\n"s, "GET /healthz HTTP/9.9\r\n\r\n"s, "GET\r\n\r\n"s,
       "POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"s,
       "POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"s,
       "POST /api/v1/users/" + user +
           "/points/charge HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n"
           "Content-Length: 15\r\n\r\n{\"amount\":100}",
       "GET /api/v1/users/" + user +
           "/points HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"}) {
    INFO("raw request " << raw.substr(0, 60));
    try {
      const auto answer = test_support::exchange_raw(api.port(), raw);
      CHECK(answer.status >= 400);
      CHECK(answer.status < 500);
    } catch (const std::exception&) {
      // Closing the connection without an answer is acceptable for garbage.
    }
  }

  CHECK(api.get("/healthz").status == 200);
  CHECK(api.get("/readyz").status == 200);
  // Nothing was charged or paid by any of it.
  CHECK(api.balance(user) == 0);
  CHECK(require_history(api.history(user)).empty());
  CHECK(api.seat_status(date, 50) == "HELD");
  api.fund(user, 1000);
  CHECK(require_payment(api.pay(visitor, reservation), 201).amount == 1000);
}
