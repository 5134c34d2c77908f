// Points in PostgreSQL: charges, the balance limit, keyed charges and the history.
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

TEST_CASE("Charges add up, history lists them newest first with the balance after each",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user(), bob = user();
  CHECK(p.points.balance_of(alice) == 0);
  CHECK(p.points.history(alice, 20).empty());

  CHECK(p.charged(alice, 10000, kStart) == 10000);
  CHECK(p.charged(alice, 2500, kStart + 1s) == 12500);
  CHECK(p.charged(bob, 700, kStart + 2s) == 700);
  CHECK(p.charged(alice, 1, kStart + 3s) == 12501);
  CHECK(p.points.balance_of(alice) == 12501);
  CHECK(p.points.balance_of(bob) == 700);

  auto history = p.points.history(alice, 20);
  REQUIRE(history.size() == 3);
  CHECK(history[0].type == EntryType::charge);
  CHECK(history[0].amount == 1);
  CHECK(history[0].balance_after == 12501);
  CHECK(history[0].created_at == kStart + 3s);
  CHECK(history[1].amount == 2500);
  CHECK(history[1].balance_after == 12500);
  CHECK(history[1].created_at == kStart + 1s);
  CHECK(history[2].amount == 10000);
  CHECK(history[2].balance_after == 10000);
  CHECK(history[2].created_at == kStart);

  auto limited = p.points.history(alice, 2);
  REQUIRE(limited.size() == 2);
  CHECK(limited[0].amount == 1);
  CHECK(limited[1].amount == 2500);
  REQUIRE(p.points.history(bob, 20).size() == 1);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("A charge past the balance limit is refused and changes nothing", "[postgres]") {
  PostgresPayment p;
  const auto alice = user();
  const PointsPolicy policy{1'000'000, 1'500'000};
  REQUIRE(p.points.charge(alice, 1'000'000, {}, policy, kStart));
  auto over = p.points.charge(alice, 500'001, {}, policy, kStart + 1s);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error() == PaymentError::balance_limit_exceeded);
  CHECK(p.points.balance_of(alice) == 1'000'000);
  CHECK(p.points.history(alice, 20).size() == 1);

  auto exactly =
      p.points.charge(alice, 500'000, {}, policy, kStart + 2s);  // the limit itself is fine
  REQUIRE(exactly);
  CHECK(exactly.value() == 1'500'000);
  auto one_more = p.points.charge(alice, 1, {}, policy, kStart + 3s);
  REQUIRE_FALSE(one_more.ok());
  CHECK(one_more.error() == PaymentError::balance_limit_exceeded);
  CHECK(p.points.balance_of(alice) == 1'500'000);

  // A first charge above the limit creates no balance and no entry.
  const auto bob = user();
  auto first = p.points.charge(bob, 1'500'001, {}, PointsPolicy{2'000'000, 1'500'000}, kStart);
  REQUIRE_FALSE(first.ok());
  CHECK(first.error() == PaymentError::balance_limit_exceeded);
  CHECK(p.count("SELECT count(*) FROM balances WHERE user_id = '" + bob + "'") == 0);
  CHECK(p.count("SELECT count(*) FROM ledger") == 2);

  // balance + amount would overflow a bigint: the comparison must not compute it.
  const PointsPolicy huge{std::numeric_limits<std::int64_t>::max(),
                          std::numeric_limits<std::int64_t>::max()};
  const auto carol = user();
  REQUIRE(p.points.charge(carol, std::numeric_limits<std::int64_t>::max() - 5, {}, huge, kStart));
  auto overflow = p.points.charge(carol, 10, {}, huge, kStart + 1s);
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error() == PaymentError::balance_limit_exceeded);
  auto fits = p.points.charge(carol, 5, {}, huge, kStart + 2s);
  REQUIRE(fits);
  CHECK(fits.value() == std::numeric_limits<std::int64_t>::max());
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("100 concurrent charges of one user lose nothing", "[postgres][race]") {
  PostgresPayment p;
  const auto alice = user();
  p.warm_pool();
  std::atomic<int> failed{0};
  test_support::race(100, [&](int index) {
    if (!p.points.charge(alice, index + 1, {}, kPolicy, kStart + std::chrono::milliseconds(index)))
      ++failed;
  });
  CHECK(failed == 0);
  const std::int64_t sum = 100 * 101 / 2;
  CHECK(p.points.balance_of(alice) == sum);
  auto history = p.points.history(alice, 1000);
  REQUIRE(history.size() == 100);
  CHECK(history[0].balance_after == sum);
  std::set<std::int64_t> after;
  std::set<std::int64_t> amounts;
  for (std::size_t i = 0; i < history.size(); ++i) {
    after.insert(history[i].balance_after);
    amounts.insert(history[i].amount);
    // Each entry's balance is the one before it (older) plus its amount.
    const std::int64_t before = i + 1 < history.size() ? history[i + 1].balance_after : 0;
    CHECK(history[i].balance_after == before + history[i].amount);
  }
  CHECK(after.size() == 100);
  CHECK(amounts.size() == 100);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("Concurrent charges of many users, batched together, each get their own answer",
          "[postgres][race]") {
  PostgresPayment p;
  p.warm_pool();
  const PointsPolicy policy{100, 100};  // room for two charges of 40 in each balance, not three
  std::vector<std::string> users(20);
  for (auto& id : users) id = user();
  std::atomic<int> charged{0}, refused{0};
  test_support::race(60, [&](int index) {
    const auto outcome = p.points.charge(users[index % 20], 40, {}, policy, kStart);
    if (outcome) {
      if (outcome.value() != 40 && outcome.value() != 80) throw std::runtime_error("balance");
      ++charged;
    } else if (outcome.error() == PaymentError::balance_limit_exceeded) {
      ++refused;
    }
  });
  CHECK(charged == 40);
  CHECK(refused == 20);
  for (const auto& id : users) {
    CHECK(p.points.balance_of(id) == 80);
    CHECK(p.points.history(id, 10).size() == 2);
  }
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("A keyed charge is made once, its repeats answer the balance right after it",
          "[postgres]") {
  PostgresPayment p;
  const auto alice = user(), bob = user();
  CHECK_FALSE(p.points.charged_under_key(alice, "k-1"));
  CHECK(p.charged(alice, 1000, kStart, "k-1") == 1000);
  CHECK(p.charged(alice, 500, kStart + 1s) == 1500);
  CHECK(p.charged(alice, 1000, kStart + 2s, "k-1") == 1000);  // made before: not again
  CHECK(p.charged(bob, 700, kStart, "k-1") == 700);           // keys are per user
  CHECK(*p.points.charged_under_key(alice, "k-1") == 1000);
  CHECK(p.points.balance_of(alice) == 1500);
  CHECK(p.count("SELECT count(*) FROM ledger WHERE idempotency_key = 'k-1'") == 2);
  CHECK(p.ledger_mismatches() == 0);
}

TEST_CASE("One key charged at once through two repositories (two replicas) is made once",
          "[postgres][race]") {
  PostgresPayment p;
  PostgresPointsRepository other_replica(p.pool);
  p.warm_pool();
  const auto alice = user();
  for (int round = 1; round <= 3; ++round) {
    const auto key = "race-" + std::to_string(round);
    std::mutex mutex;
    std::set<std::int64_t> answers;
    std::atomic<int> failed{0};
    test_support::race(20, [&](int t) {
      auto& replica = t % 2 == 0 ? p.points : other_replica;
      const auto outcome = replica.charge(alice, 1000, key, kPolicy, kStart);
      if (!outcome) {
        ++failed;
        return;
      }
      std::lock_guard lock(mutex);
      answers.insert(outcome.value());
    });
    CHECK(failed == 0);
    CHECK(answers == std::set<std::int64_t>{1000 * round});
    CHECK(p.count("SELECT count(*) FROM ledger WHERE idempotency_key = '" + key + "'") == 1);
  }
  CHECK(p.points.balance_of(alice) == 3000);
  CHECK(p.ledger_mismatches() == 0);
}
