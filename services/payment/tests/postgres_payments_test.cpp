// Beginning payments in PostgreSQL: the debit, the schema's checks and one payment per reservation.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "postgres_payment.hpp"

using namespace payment;
using namespace std::chrono_literals;
using namespace payment::testing;

TEST_CASE("begin debits the balance and writes the PAYMENT entry and a PENDING payment",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 50000);
  const auto id = new_id();
  auto outcome = p.begin(alice, 42, 30000, "token-1", kStart + 5s, id);
  REQUIRE(outcome);
  CHECK_FALSE(outcome->resumed);
  const auto& payment = outcome->payment;
  CHECK(payment.id == id);
  CHECK(payment.reservation_id == 42);
  CHECK(payment.user_id == alice);
  CHECK(payment.amount == 30000);
  CHECK(payment.status == PaymentStatus::pending);
  CHECK(payment.created_at == kStart + 5s);
  CHECK_FALSE(payment.paid_at);
  CHECK(payment.queue_token == std::optional<std::string>("token-1"));

  CHECK(p.points.balance_of(alice) == 20000);
  auto history = p.points.history(alice, 20);
  REQUIRE(history.size() == 2);
  CHECK(history[0].type == EntryType::payment);
  CHECK(history[0].amount == 30000);
  CHECK(history[0].balance_after == 20000);
  CHECK(history[0].created_at == kStart + 5s);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'PAYMENT' AND payment_id = '" + id +
                "'") == 1);

  auto found = p.payments.find(id);
  REQUIRE(found);
  CHECK(found->status == PaymentStatus::pending);
  CHECK(found->created_at == kStart + 5s);
  CHECK(found->queue_token == std::optional<std::string>("token-1"));
  CHECK_FALSE(p.payments.find(new_id()));
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("The schema refuses an unknown status or entry type and ones out of step with their row",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 50000);
  const auto id = new_id();
  REQUIRE(p.begin(alice, 42, 30000, "token-1", kStart + 5s, id));
  const auto write = [&](const std::string& statement) {
    ticketing::db::testing::execute(p.pool, statement);
  };
  const auto payment = "'" + id + "'";

  // Statuses and entry types are enums: a value outside them is not even read as one.
  REQUIRE_THROWS_AS(write("UPDATE payments SET status = 'PAID' WHERE id = " + payment),
                    pqxx::data_exception);
  REQUIRE_THROWS_AS(write("UPDATE ledger SET type = 'BONUS' WHERE payment_id = " + payment),
                    pqxx::data_exception);
  // The checks keep each in step with the columns it implies.
  REQUIRE_THROWS_AS(write("UPDATE payments SET status = 'COMPLETED' WHERE id = " + payment),
                    pqxx::check_violation);
  REQUIRE_THROWS_AS(write("UPDATE payments SET status = 'FAILED' WHERE id = " + payment),
                    pqxx::check_violation);
  REQUIRE_THROWS_AS(write("UPDATE ledger SET type = 'CHARGE' WHERE payment_id = " + payment),
                    pqxx::check_violation);

  CHECK(p.payments.find(id)->status == PaymentStatus::pending);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'PAYMENT' AND payment_id = " + payment) ==
        1);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("begin with too few points changes nothing", "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 29999);
  auto short_by_one = p.begin(alice, 42, 30000);
  REQUIRE_FALSE(short_by_one.ok());
  CHECK(short_by_one.error() == PaymentError::insufficient_balance);
  CHECK(p.points.balance_of(alice) == 29999);
  CHECK(p.points.history(alice, 20).size() == 1);
  CHECK(p.count("SELECT count(*) FROM payments") == 0);

  // A user never charged has no balance row at all.
  auto never_charged = p.begin(user(), 43, 1);
  REQUIRE_FALSE(never_charged.ok());
  CHECK(never_charged.error() == PaymentError::insufficient_balance);
  CHECK(p.count("SELECT count(*) FROM payments") == 0);
  CHECK(p.count("SELECT count(*) FROM ledger") == 1);

  // The whole balance can be spent.
  auto exact = p.begin(alice, 42, 29999);
  REQUIRE(exact);
  CHECK(p.points.balance_of(alice) == 0);
}

TEST_CASE("20 concurrent begins of one reservation by its user: one pays, its key resumes it",
          "[postgres][race]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 1'000'000);  // enough for all twenty: only the unique index stops them
  p.warm_pool();
  for (std::int64_t reservation = 1; reservation <= 3; ++reservation) {  // several rounds
    std::mutex mutex;
    std::vector<std::string> ids;
    std::atomic<int> fresh{0}, resumed{0}, already_paid{0}, other{0};
    // Half share one key (one request and its retries), the others each have their own or none.
    test_support::race(20, [&](int t) {
      std::optional<std::string> key;
      if (t % 2 == 0) key = "shared-" + std::to_string(reservation);
      if (t % 4 == 1) key = "own-" + std::to_string(t);
      auto outcome = p.begin(alice, reservation, 10000, std::nullopt, kStart, new_id(), key);
      if (!outcome) {
        ++(outcome.error() == PaymentError::already_paid ? already_paid : other);
        return;
      }
      ++(outcome->resumed ? resumed : fresh);
      std::lock_guard lock(mutex);
      ids.push_back(outcome->payment.id);
    });
    CHECK(fresh == 1);
    CHECK(other == 0);
    // The winner's own retries resume it; everyone else is refused.
    CHECK(fresh + resumed + already_paid == 20);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 1);
    CHECK(p.points.balance_of(alice) == 1'000'000 - reservation * 10000);
  }
  CHECK(p.count("SELECT count(*) FROM payments") == 3);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'PAYMENT'") == 3);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("Concurrent begins of one reservation by different users: one pays, the rest are refused",
          "[postgres][race]") {
  PostgresPayment p;
  std::vector<std::string> users;
  for (int i = 0; i < 20; ++i) {
    users.push_back(user());
    p.charged(users.back(), 10000);
  }
  p.warm_pool();
  std::atomic<int> won{0}, already_paid{0}, other{0};
  test_support::race(20, [&](int index) {
    auto outcome = p.begin(users[static_cast<std::size_t>(index)], 7, 10000);
    if (outcome && !outcome->resumed) {
      ++won;
    } else if (!outcome && outcome.error() == PaymentError::already_paid) {
      ++already_paid;
    } else {
      ++other;
    }
  });
  CHECK(won == 1);
  CHECK(already_paid == 19);
  CHECK(other == 0);
  CHECK(p.count("SELECT count(*) FROM balances WHERE balance = 0") == 1);
  CHECK(p.count("SELECT count(*) FROM balances WHERE balance = 10000") == 19);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("A reservation with a PENDING or COMPLETED payment is already paid for anyone else",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user(), bob = user();
  p.charged(alice, 100000);
  p.charged(bob, 100000);
  auto first = p.begin(alice, 42, 30000, std::nullopt, kStart, new_id(), "alice-key")->payment;

  auto while_pending = p.begin(bob, 42, 30000);
  REQUIRE_FALSE(while_pending.ok());
  CHECK(while_pending.error() == PaymentError::already_paid);
  CHECK(p.points.balance_of(bob) == 100000);

  // The owner with the first request's key: the same payment, resumed; with another or none:
  // already paid too.
  auto again = p.begin(alice, 42, 30000, std::nullopt, kStart, new_id(), "alice-key");
  REQUIRE(again);
  CHECK(again->resumed);
  CHECK(again->payment.id == first.id);
  CHECK(p.begin(alice, 42, 30000, std::nullopt, kStart, new_id(), "other").error() ==
        PaymentError::already_paid);
  CHECK(p.begin(alice, 42, 30000).error() == PaymentError::already_paid);
  CHECK(p.begin(bob, 42, 30000, std::nullopt, kStart, new_id(), "alice-key").error() ==
        PaymentError::already_paid);
  CHECK(p.points.balance_of(alice) == 70000);
  CHECK(p.payments.find_by_key(alice, "alice-key")->id == first.id);
  CHECK_FALSE(p.payments.find_by_key(bob, "alice-key"));
  CHECK_FALSE(p.payments.find_by_key(alice, "other"));

  REQUIRE(p.payments.complete(first.id, kStart + 1s, QueueTokenState::to_expire));
  for (const auto& who : {bob, alice}) {
    auto after_completed = p.begin(who, 42, 30000);
    REQUIRE_FALSE(after_completed.ok());
    CHECK(after_completed.error() == PaymentError::already_paid);
  }
  CHECK(p.points.balance_of(alice) == 70000);
  CHECK(p.points.balance_of(bob) == 100000);
  CHECK(p.count("SELECT count(*) FROM payments") == 1);

  // A FAILED payment no longer blocks the reservation.
  auto other = p.started(alice, 43, 20000);
  REQUIRE(p.payments.refund(other.id, kStart + 2s));
  auto retry = p.begin(bob, 43, 20000);
  REQUIRE(retry);
  CHECK_FALSE(retry->resumed);
  CHECK(retry->payment.id != other.id);
  CHECK(p.points.balance_of(bob) == 80000);
  CHECK(p.ledger_mismatches() == 0);
}
