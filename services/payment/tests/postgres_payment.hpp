#pragma once

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

// A migrated payment schema in a throwaway database and the PostgreSQL adapters over it, for
// the tests of the PostgreSQL adapters.

namespace payment::testing {

using namespace std::chrono_literals;

// A fixed moment with a microsecond part, so that stored times must round-trip exactly.
inline const TimePoint kStart =
    std::chrono::sys_days(std::chrono::year(2026) / 6 / 1) + 10h + 123456us;
inline const PointsPolicy kPolicy{};

inline std::string user() { return ticketing::RandomIds::uuid_v4(); }
inline std::string new_id() { return ticketing::RandomIds::uuid_v4(); }

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
    return payments.begin({std::move(payment_id), reservation_id, user_id, amount, std::move(token),
                           now, std::move(key)});
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

}  // namespace payment::testing
