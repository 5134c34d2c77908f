#include "postgres_points_repository.hpp"

#include <future>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>

#include "rows.hpp"
#include "statements.hpp"
#include "ticketing/db/array_literal.hpp"
#include "ticketing/db/errors.hpp"
#include "ticketing/ids.hpp"

namespace payment {

namespace {
constexpr const char* kOneChargePerKey = "ledger_one_charge_per_key";
}  // namespace

PostgresPointsRepository::PostgresPointsRepository(ticketing::db::Pool& pool)
    : pool_(pool),
      charges_(kMaxChargeBatch, [this](const auto& requests) { return charge_batch(requests); }) {}

std::int64_t PostgresPointsRepository::balance_of(std::string_view user_id) {
  return pool_.query([&](pqxx::nontransaction& txn) -> std::int64_t {
    const auto rows = txn.exec_prepared("balance_of", std::string(user_id));
    return rows.empty() ? 0 : rows[0][0].as<std::int64_t>();
  });
}

ticketing::Result<std::int64_t, PaymentError> PostgresPointsRepository::charge(
    std::string_view user_id, std::int64_t amount, std::string_view idempotency_key,
    const PointsPolicy& policy, TimePoint now) {
  // Too large for any balance: no need to ask the database.
  if (!charge_fits(0, amount, policy)) return ticketing::fail(PaymentError::balance_limit_exceeded);
  // A malformed id would fail the statement, and with it every charge of its batch.
  if (!ticketing::is_canonical_uuid(user_id)) {
    throw std::invalid_argument("payment: a charge needs a canonical user id");
  }
  std::promise<ticketing::Completed<ChargeOutcome>> answer;
  auto answered = answer.get_future();
  std::optional<std::string> key;
  if (!idempotency_key.empty()) key.emplace(idempotency_key);
  charges_.submit(
      {std::string(user_id), amount, policy.max_balance, now, std::move(key)},
      [&answer](ticketing::Completed<ChargeOutcome> done) { answer.set_value(std::move(done)); });
  const auto outcome = answered.get().get();
  if (outcome.error) std::rethrow_exception(outcome.error);
  if (!outcome.balance) return ticketing::fail(PaymentError::balance_limit_exceeded);
  return *outcome.balance;
}

std::vector<PostgresPointsRepository::ChargeOutcome> PostgresPointsRepository::charge_batch(
    const std::vector<ChargeRequest>& requests) {
  std::vector<ChargeOutcome> outcomes(requests.size());
  std::vector<std::size_t> left(requests.size());
  for (std::size_t i = 0; i < left.size(); ++i) left[i] = i;
  // Rounds: the earliest charge still left of each user, among those with the first one's limit.
  while (!left.empty()) {
    std::vector<std::size_t> round, later;
    std::unordered_set<std::string_view> users;
    const auto max_balance = requests[left.front()].max_balance;
    for (const auto i : left) {
      const bool fits_round =
          requests[i].max_balance == max_balance && users.insert(requests[i].user_id).second;
      (fits_round ? round : later).push_back(i);
    }
    try {
      try {
        charge_round(requests, round, outcomes);
      } catch (const pqxx::sql_error& error) {
        // Another process made one of these keyed charges meanwhile: nothing of this statement
        // was kept, and run again it finds that charge made.
        if (!ticketing::db::is_unique_violation(error, kOneChargePerKey)) throw;
        charge_round(requests, round, outcomes);
      }
    } catch (...) {
      for (const auto i : round) outcomes[i].error = std::current_exception();
    }
    left = std::move(later);
  }
  return outcomes;
}

void PostgresPointsRepository::charge_round(const std::vector<ChargeRequest>& requests,
                                            const std::vector<std::size_t>& round,
                                            std::vector<ChargeOutcome>& outcomes) {
  std::vector<std::string> users;
  std::vector<std::int64_t> amounts, times;
  std::vector<std::optional<std::string>> keys;
  for (const auto i : round) {
    users.push_back(requests[i].user_id);
    amounts.push_back(requests[i].amount);
    times.push_back(sql::micros(requests[i].now));
    keys.push_back(requests[i].idempotency_key);
  }
  using ticketing::db::array_literal;
  // One statement in autocommit, one round trip: execute never re-runs it after a lost link, so
  // charges that committed are not charged again.
  const auto rows = pool_.execute([&](pqxx::nontransaction& txn) {
    return txn.exec_prepared("charge_batch", array_literal(users), array_literal(amounts),
                             requests[round.front()].max_balance, array_literal(times),
                             array_literal(keys));
  });
  for (const auto& row : rows) {
    outcomes.at(round.at(row[0].as<std::size_t>() - 1)).balance = row[1].as<std::int64_t>();
  }
}

std::optional<std::int64_t> PostgresPointsRepository::charged_under_key(
    std::string_view user_id, std::string_view idempotency_key) {
  return pool_.query([&](pqxx::nontransaction& txn) -> std::optional<std::int64_t> {
    const auto rows =
        txn.exec_prepared("charge_by_key", std::string(user_id), std::string(idempotency_key));
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::int64_t>();
  });
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
