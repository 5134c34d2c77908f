// The PostgreSQL adapters of the payment service against a real database, each test on its own
// throwaway database.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "adapters/postgres/postgres_idempotency_store.hpp"
#include "adapters/postgres/postgres_payment_repository.hpp"
#include "adapters/postgres/postgres_points_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "payment_migrations.hpp"
#include "support/race.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/db/testing/pool_checks.hpp"
#include "ticketing/db/testing/temp_database.hpp"
#include "ticketing/ids.hpp"

using namespace payment;
using namespace std::chrono_literals;

namespace {

// A fixed moment with a microsecond part, so that stored times must round-trip exactly.
const TimePoint kStart = std::chrono::sys_days(std::chrono::year(2026) / 6 / 1) + 10h + 123456us;
const PointsPolicy kPolicy{};

std::string user() { return ticketing::RandomIds::uuid_v4(); }
std::string new_id() { return ticketing::RandomIds::uuid_v4(); }

// A migrated payment schema and the adapters over it.
struct PostgresPayment {
  PostgresPayment()
      : role(database.unique_role("payment")),
        logger("payment-test", ticketing::log::Level::warn),
        pool((ticketing::db::migrate(database.admin_url(), {"payment", role, "pw"}, migrations(),
                                     logger),
              ticketing::db::PoolOptions{database.url_for(role, "pw"), 16, 20000ms}),
             sql::prepare_all, logger),
        recoverable({database.url_for(role, "pw"), 4, 20000ms}, sql::prepare_recoverable, logger),
        points(pool),
        payments(pool, recoverable),
        keys(pool) {}

  std::int64_t charged(const std::string& user_id, std::int64_t amount, TimePoint now = kStart,
                       std::string_view key = {}) {
    auto outcome = points.charge(user_id, amount, key, kPolicy, now);
    if (!outcome) throw std::runtime_error("charge failed");
    return outcome.value();
  }

  ticketing::Result<StartedPayment, PaymentError> begin(
      const std::string& user_id, std::int64_t reservation_id, std::int64_t amount,
      std::optional<std::string> token = std::nullopt, TimePoint now = kStart,
      std::string payment_id = new_id(), std::optional<std::string> key = std::nullopt) {
    return payments.begin({std::move(payment_id), reservation_id, user_id, amount,
                           std::move(token), now, std::move(key)});
  }

  Payment started(const std::string& user_id, std::int64_t reservation_id, std::int64_t amount,
                  std::optional<std::string> token = std::nullopt, TimePoint now = kStart) {
    auto outcome = begin(user_id, reservation_id, amount, std::move(token), now);
    if (!outcome || outcome->resumed) throw std::runtime_error("begin failed");
    return outcome->payment;
  }

  void warm_pool() { ticketing::db::testing::open_every_connection(pool); }

  std::int64_t count(const std::string& query) {
    return ticketing::db::testing::count_of(pool, query);
  }

  // Users whose balance differs from charges - payments + refunds in their ledger, or from the
  // balance_after of their newest entry (both must be 0).
  std::int64_t ledger_mismatches() {
    return count(
        "SELECT count(*) FROM balances b LEFT JOIN LATERAL ("
        "  SELECT coalesce(sum(CASE type WHEN 'PAYMENT' THEN -amount ELSE amount END), 0) AS net,"
        "         (SELECT balance_after FROM ledger n WHERE n.user_id = b.user_id ORDER BY id DESC "
        "LIMIT 1) AS last"
        "  FROM ledger l WHERE l.user_id = b.user_id) s ON true "
        "WHERE b.balance <> s.net OR b.balance IS DISTINCT FROM s.last");
  }

  ticketing::db::testing::TempDatabase database;
  std::string role;
  ticketing::log::Logger logger;
  ticketing::db::Pool pool;
  ticketing::db::Pool recoverable;
  PostgresPointsRepository points;
  PostgresPaymentRepository payments;
  PostgresIdempotencyStore keys;
};

}  // namespace

// --- points ---

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

  auto exactly = p.points.charge(alice, 500'000, {}, policy, kStart + 2s);  // the limit itself is fine
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
  CHECK(p.charged(bob, 700, kStart, "k-1") == 700);             // keys are per user
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

// --- payments ---

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

// --- idempotency keys ---

TEST_CASE("An idempotency key is claimed once, then answers with its record", "[postgres]") {
  PostgresPayment p;
  const KeyRef ref{user(), "charge", "key-1"};
  CHECK_FALSE(p.keys.claim(ref, "print-a", kStart));
  auto stored = p.keys.claim(ref, "print-b", kStart + 1s);
  REQUIRE(stored);
  CHECK(stored->fingerprint == "print-a");  // the first claim's body
  CHECK_FALSE(stored->response);
  CHECK(stored->started_at == kStart);

  // Keys are per user and per endpoint.
  CHECK_FALSE(p.keys.claim({ref.user_id, "payment", "key-1"}, "print-a", kStart));
  CHECK_FALSE(p.keys.claim({user(), "charge", "key-1"}, "print-a", kStart));

  // The first response is kept and replayed; a second finish does not replace it.
  p.keys.finish(ref, {200, R"({"userId":"x","balance":5})"});
  p.keys.finish(ref, {500, "other"});
  stored = p.keys.claim(ref, "print-a", kStart + 2s);
  REQUIRE(stored);
  REQUIRE(stored->response);
  CHECK(stored->response->status == 200);
  CHECK(stored->response->body == R"({"userId":"x","balance":5})");
  CHECK(stored->started_at == kStart);
}

TEST_CASE("An abandoned key is taken over once, release and purge forget keys", "[postgres]") {
  PostgresPayment p;
  const KeyRef ref{user(), "payment", "key-1"};
  REQUIRE_FALSE(p.keys.claim(ref, "print", kStart));
  CHECK_FALSE(p.keys.take_over(ref, kStart + 1us, kStart + 60s));  // not the start it has
  CHECK(p.keys.take_over(ref, kStart, kStart + 60s));
  CHECK_FALSE(p.keys.take_over(ref, kStart, kStart + 61s));  // someone else already did
  auto stored = p.keys.claim(ref, "print", kStart + 62s);
  REQUIRE(stored);
  CHECK(stored->started_at == kStart + 60s);

  // Release forgets an unfinished key: the next claim runs again.
  p.keys.release(ref);
  CHECK_FALSE(p.keys.claim(ref, "print", kStart + 70s));
  // A finished key is neither taken over nor released.
  p.keys.finish(ref, {201, "{}"});
  CHECK_FALSE(p.keys.take_over(ref, kStart + 70s, kStart + 200s));
  p.keys.release(ref);
  stored = p.keys.claim(ref, "print", kStart + 80s);
  REQUIRE(stored);
  REQUIRE(stored->response);
  CHECK(stored->response->status == 201);

  const KeyRef later{ref.user_id, "charge", "key-2"};
  REQUIRE_FALSE(p.keys.claim(later, "print", kStart + 24h));
  CHECK(p.keys.purge_before(kStart + 70s) == 0);  // started exactly then: kept
  CHECK(p.keys.purge_before(kStart + 71s) == 1);
  CHECK(p.keys.purge_before(kStart + 71s) == 0);
  CHECK_FALSE(p.keys.claim(ref, "print", kStart + 25h));  // forgotten: runs again
  auto kept = p.keys.claim(later, "print", kStart + 25h);
  REQUIRE(kept);
  CHECK(kept->started_at == kStart + 24h);
}

TEST_CASE("Concurrent claims of one key: exactly one runs, concurrent take-overs: one wins",
          "[postgres][race]") {
  PostgresPayment p;
  p.warm_pool();
  const auto owner = user();
  for (int round = 0; round < 5; ++round) {
    const KeyRef ref{owner, "payment", "key-" + std::to_string(round)};
    std::atomic<int> ran{0}, saw_record{0};
    std::atomic<int> winner{-1};
    std::mutex mutex;
    std::vector<std::string> prints;
    test_support::race(20, [&](int index) {
      auto stored = p.keys.claim(ref, "print-" + std::to_string(index), kStart);
      if (!stored) {
        ++ran;
        winner = index;
        return;
      }
      ++saw_record;
      std::lock_guard lock(mutex);
      prints.push_back(stored->fingerprint);
    });
    CHECK(ran == 1);
    CHECK(saw_record == 19);
    for (const auto& print : prints) CHECK(print == "print-" + std::to_string(winner.load()));

    std::atomic<int> took{0};
    test_support::race(10, [&](int index) {
      if (p.keys.take_over(ref, kStart, kStart + 60s + std::chrono::seconds(index))) ++took;
    });
    CHECK(took == 1);
  }
}
