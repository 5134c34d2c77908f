#include "postgres_points_repository.hpp"

#include <optional>
#include <string>

#include "rows.hpp"
#include "statements.hpp"

namespace payment {

std::int64_t PostgresPointsRepository::balance_of(std::string_view user_id) {
  return pool_.query([&](pqxx::nontransaction& txn) -> std::int64_t {
    const auto rows = txn.exec_prepared("balance_of", std::string(user_id));
    return rows.empty() ? 0 : rows[0][0].as<std::int64_t>();
  });
}

ticketing::Result<std::int64_t, PaymentError> PostgresPointsRepository::charge(
    std::string_view user_id, std::int64_t amount, const PointsPolicy& policy, TimePoint now) {
  // Too large for any balance: no need to ask the database.
  if (!charge_fits(0, amount, policy)) return ticketing::fail(PaymentError::balance_limit_exceeded);
  // One statement in autocommit, one round trip: execute never re-runs it after a lost link, so
  // a charge that committed is not charged again.
  const auto balance = pool_.execute([&](pqxx::nontransaction& txn) -> std::optional<std::int64_t> {
    const auto rows = txn.exec_prepared("charge", std::string(user_id), amount, policy.max_balance,
                                        sql::micros(now));
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::int64_t>();
  });
  if (!balance) return ticketing::fail(PaymentError::balance_limit_exceeded);
  return *balance;
}

std::vector<LedgerEntry> PostgresPointsRepository::history(std::string_view user_id, int limit) {
  return pool_.query([&](pqxx::nontransaction& txn) {
    std::vector<LedgerEntry> entries;
    for (const auto& row : txn.exec_prepared("history", std::string(user_id), limit)) {
      entries.push_back(sql::entry_from(row));
    }
    return entries;
  });
}

}  // namespace payment
