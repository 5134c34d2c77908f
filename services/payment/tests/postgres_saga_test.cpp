// The saga's last steps in PostgreSQL: complete, refund, recovery's reads and token expiries.
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

TEST_CASE("complete is idempotent and queues a token still to expire once", "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 100000);
  auto payment = p.started(alice, 42, 30000, "token-a");

  auto completed = p.payments.complete(payment.id, kStart + 10s, QueueTokenState::to_expire);
  REQUIRE(completed);
  CHECK(completed->status == PaymentStatus::completed);
  CHECK(completed->paid_at == std::optional<TimePoint>(kStart + 10s));
  auto twice = p.payments.complete(payment.id, kStart + 20s, QueueTokenState::to_expire);
  REQUIRE(twice);
  CHECK(twice->status == PaymentStatus::completed);
  CHECK(twice->paid_at == std::optional<TimePoint>(kStart + 10s));  // the first completion stands

  CHECK(p.count("SELECT count(*) FROM token_expiries") == 1);
  auto due = p.payments.due_token_expiries(kStart + 10s, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].payment_id == payment.id);
  CHECK(due[0].queue_token == "token-a");
  CHECK(due[0].attempts == 0);
  CHECK(p.points.balance_of(alice) == 70000);  // completing moves no points

  // Without a token there is nothing to expire.
  auto tokenless = p.started(alice, 43, 1000);
  REQUIRE(p.payments.complete(tokenless.id, kStart + 10s, QueueTokenState::to_expire));
  CHECK(p.count("SELECT count(*) FROM token_expiries") == 1);
  // A token the saga expired already leaves nothing to do either.
  auto expired_first = p.started(alice, 44, 1000, "token-b");
  auto done = p.payments.complete(expired_first.id, kStart + 10s, QueueTokenState::expired);
  REQUIRE(done);
  CHECK(done->status == PaymentStatus::completed);
  CHECK(p.count("SELECT count(*) FROM token_expiries") == 1);
  CHECK_FALSE(p.payments.complete(new_id(), kStart, QueueTokenState::to_expire));

  auto listed = p.payments.completed_of(alice);
  REQUIRE(listed.size() == 3);
  CHECK(p.payments.completed_of(user()).empty());
}

TEST_CASE("refund is idempotent, restores the balance and writes a REFUND entry", "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 100000);
  auto payment = p.started(alice, 42, 30000, "token-a");

  auto refunded = p.payments.refund(payment.id, kStart + 10s);
  REQUIRE(refunded);
  CHECK(refunded->status == PaymentStatus::failed);
  CHECK_FALSE(refunded->paid_at);
  CHECK(p.points.balance_of(alice) == 100000);
  auto twice = p.payments.refund(payment.id, kStart + 20s);
  REQUIRE(twice);
  CHECK(twice->status == PaymentStatus::failed);
  CHECK(p.points.balance_of(alice) == 100000);

  auto history = p.points.history(alice, 20);
  REQUIRE(history.size() == 3);
  CHECK(history[0].type == EntryType::refund);
  CHECK(history[0].amount == 30000);
  CHECK(history[0].balance_after == 100000);
  CHECK(history[0].created_at == kStart + 10s);
  CHECK(history[1].type == EntryType::payment);
  CHECK(history[2].type == EntryType::charge);

  // Refunded stays refunded: a late completion changes nothing and queues no expiry.
  auto late = p.payments.complete(payment.id, kStart + 30s, QueueTokenState::to_expire);
  REQUIRE(late);
  CHECK(late->status == PaymentStatus::failed);
  CHECK(p.count("SELECT count(*) FROM token_expiries") == 0);
  CHECK(p.payments.completed_of(alice).empty());

  // Completed stays completed: a late refund credits nothing.
  auto paid = p.started(alice, 43, 40000);
  REQUIRE(p.payments.complete(paid.id, kStart + 40s, QueueTokenState::to_expire));
  auto late_refund = p.payments.refund(paid.id, kStart + 50s);
  REQUIRE(late_refund);
  CHECK(late_refund->status == PaymentStatus::completed);
  CHECK(p.points.balance_of(alice) == 60000);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'REFUND'") == 1);
  CHECK_FALSE(p.payments.refund(new_id(), kStart));
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("Racing completes and refunds of one payment: exactly one of them wins",
          "[postgres][race]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 1'000'000);
  p.warm_pool();
  int completed = 0, failed = 0;
  for (std::int64_t reservation = 1; reservation <= 10; ++reservation) {
    auto payment = p.started(alice, reservation, 1000, "token");
    test_support::race(10, [&](int index) {
      if (index % 2 == 0) {
        p.payments.complete(payment.id, kStart + 1s, QueueTokenState::to_expire);
      } else {
        p.payments.refund(payment.id, kStart + 1s);
      }
    });
    auto now = p.payments.find(payment.id);
    REQUIRE(now);
    if (now->status == PaymentStatus::completed) ++completed;
    if (now->status == PaymentStatus::failed) ++failed;
  }
  CHECK(completed + failed == 10);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'REFUND'") == failed);
  CHECK(p.count("SELECT count(*) FROM token_expiries") == completed);
  CHECK(p.points.balance_of(alice) == 1'000'000 - completed * 1000);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("pending_before lists old PENDING payments oldest first", "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 100000);
  auto newest = p.started(alice, 3, 1000, std::nullopt, kStart + 30s);
  auto oldest = p.started(alice, 1, 1000, std::nullopt, kStart);
  auto middle = p.started(alice, 2, 1000, std::nullopt, kStart + 10s);
  auto done = p.started(alice, 4, 1000, std::nullopt, kStart + 1s);
  auto refunded = p.started(alice, 5, 1000, std::nullopt, kStart + 2s);
  REQUIRE(p.payments.complete(done.id, kStart + 3s, QueueTokenState::to_expire));
  REQUIRE(p.payments.refund(refunded.id, kStart + 3s));

  auto pending = p.payments.pending_before(kStart + 30s, 10);  // strictly before
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == oldest.id);
  CHECK(pending[1].id == middle.id);
  auto first = p.payments.pending_before(kStart + 1h, 1);
  REQUIRE(first.size() == 1);
  CHECK(first[0].id == oldest.id);
  CHECK(p.payments.pending_before(kStart + 1h, 10).size() == 3);
  CHECK(p.payments.pending_before(kStart, 10).empty());
  (void)newest;
}

TEST_CASE("completed_of lists a user's COMPLETED payments newest first", "[postgres]") {
  PostgresPayment p;
  const auto alice = user(), bob = user();
  p.charged(alice, 100000);
  p.charged(bob, 100000);
  auto older = p.started(alice, 1, 1000, std::nullopt, kStart);
  auto newer = p.started(alice, 2, 2000, std::nullopt, kStart + 5s);
  auto pending = p.started(alice, 3, 3000, std::nullopt, kStart + 9s);
  auto bobs = p.started(bob, 4, 4000, std::nullopt, kStart + 7s);
  for (const auto& payment : {older, newer, bobs})
    REQUIRE(p.payments.complete(payment.id, kStart + 10s, QueueTokenState::to_expire));
  auto listed = p.payments.completed_of(alice);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == newer.id);
  CHECK(listed[0].amount == 2000);
  CHECK(listed[0].paid_at == std::optional<TimePoint>(kStart + 10s));
  CHECK(listed[1].id == older.id);
  (void)pending;
}

TEST_CASE("Token expiries are due until done, and wait for their retry time after a failure",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  p.charged(alice, 100000);
  auto first = p.started(alice, 1, 1000, "token-1");
  auto second = p.started(alice, 2, 1000, "token-2");
  REQUIRE(p.payments.complete(first.id, kStart + 10s, QueueTokenState::to_expire));
  REQUIRE(p.payments.complete(second.id, kStart + 20s, QueueTokenState::to_expire));

  CHECK(p.payments.due_token_expiries(kStart + 9s, 10).empty());
  auto due = p.payments.due_token_expiries(kStart + 20s, 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].payment_id == first.id);  // longest waiting first
  CHECK(due[0].queue_token == "token-1");
  CHECK(due[1].queue_token == "token-2");
  CHECK(p.payments.due_token_expiries(kStart + 20s, 1).size() == 1);

  p.payments.token_expiry_failed(first.id, kStart + 60s);
  due = p.payments.due_token_expiries(kStart + 30s, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].payment_id == second.id);
  due = p.payments.due_token_expiries(kStart + 60s, 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].payment_id == second.id);
  CHECK(due[1].payment_id == first.id);
  CHECK(due[1].attempts == 1);
  p.payments.token_expiry_failed(first.id, kStart + 90s);
  CHECK(p.payments.due_token_expiries(kStart + 90s, 10).back().attempts == 2);

  p.payments.token_expired(second.id, kStart + 61s);
  due = p.payments.due_token_expiries(kStart + 1h, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].payment_id == first.id);
  p.payments.token_expired(first.id, kStart + 91s);
  p.payments.token_expiry_failed(first.id, kStart + 100s);  // too late: done stays done
  CHECK(p.payments.due_token_expiries(kStart + 1h, 10).empty());
  CHECK(p.count("SELECT count(*) FROM token_expiries WHERE done_at IS NOT NULL") == 2);
}

TEST_CASE("Balances match the ledger after a mixed concurrent workload", "[postgres][race]") {
  PostgresPayment p;
  std::vector<std::string> users;
  for (int i = 0; i < 4; ++i) users.push_back(user());
  for (const auto& u : users) p.charged(u, 20000);
  p.warm_pool();
  std::atomic<std::int64_t> charges{0}, begun{0}, completes{0}, refunds{0}, short_of_points{0};
  test_support::race(24, [&](int index) {
    std::mt19937 random(static_cast<unsigned>(index) * 7919U + 1U);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    for (int step = 0; step < 25; ++step) {
      const auto& who = users[static_cast<std::size_t>(pick(4))];
      const TimePoint now = kStart + std::chrono::milliseconds(step);
      if (pick(3) == 0) {
        if (p.points.charge(who, 1000 + pick(5000), {}, kPolicy, now)) ++charges;
        continue;
      }
      // Few reservations, so users collide on them and on their own balances.
      auto outcome = p.begin(who, 1 + pick(12), 3000 + pick(4000), "t", now);
      if (!outcome) {
        if (outcome.error() == PaymentError::insufficient_balance) ++short_of_points;
        continue;
      }
      ++begun;
      if (pick(2) == 0) {
        if (p.payments.complete(outcome->payment.id, now, QueueTokenState::to_expire)) ++completes;
      } else {
        if (p.payments.refund(outcome->payment.id, now)) ++refunds;
      }
    }
  });
  INFO("charges " << charges << " begun " << begun << " completes " << completes << " refunds "
                  << refunds << " short " << short_of_points);
  CHECK(begun > 0);
  CHECK(refunds > 0);
  CHECK(completes > 0);
  CHECK(p.ledger_mismatches() == 0);
  CHECK(p.count("SELECT count(*) FROM balances WHERE balance < 0") == 0);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE type = 'CHARGE'") == 4 + charges);
  // Every payment has its one PAYMENT entry; exactly the FAILED ones have a REFUND entry.
  CHECK(p.count("SELECT count(*) FROM payments pm WHERE (SELECT count(*) FROM ledger l "
                "WHERE l.payment_id = pm.id AND l.type = 'PAYMENT') <> 1") == 0);
  CHECK(p.count("SELECT count(*) FROM payments pm WHERE (SELECT count(*) FROM ledger l "
                "WHERE l.payment_id = pm.id AND l.type = 'REFUND') <> "
                "CASE WHEN pm.status = 'FAILED' THEN 1 ELSE 0 END") == 0);
  CHECK(p.count("SELECT count(*) FROM (SELECT reservation_id FROM payments WHERE status = "
                "'COMPLETED' GROUP BY reservation_id HAVING count(*) > 1) twice") == 0);
  CHECK(p.count("SELECT count(*) FROM token_expiries") ==
        p.count("SELECT count(*) FROM payments WHERE status = 'COMPLETED'"));
}
