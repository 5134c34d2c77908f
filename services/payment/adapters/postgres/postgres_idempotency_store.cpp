#include "postgres_idempotency_store.hpp"

#include <pqxx/transaction>
#include <stdexcept>
#include <string>

#include "rows.hpp"
#include "statements.hpp"

namespace payment {

std::optional<IdempotencyRecord> PostgresIdempotencyStore::claim(const KeyRef& ref,
                                                                 std::string_view fingerprint,
                                                                 TimePoint now) {
  const std::string print(fingerprint);
  return pool_.write([&](pqxx::work& txn) -> std::optional<IdempotencyRecord> {
    for (int attempt = 1; attempt <= kMaxClaimAttempts; ++attempt) {
      const auto inserted =
          txn.exec_prepared("claim_key", ref.user_id, ref.scope, ref.key, print, sql::micros(now));
      if (inserted.affected_rows() == 1) return std::nullopt;  // ours: the caller runs it
      // Read committed: this statement sees the row the insert collided with, unless it was
      // released or purged since, in which case the key is free to claim again.
      const auto rows = txn.exec_prepared("read_key", ref.user_id, ref.scope, ref.key);
      if (!rows.empty()) return sql::key_record_from(rows[0]);
    }
    throw std::runtime_error("payment: idempotency key kept vanishing while claimed");
  });
}

std::optional<IdempotencyRecord> PostgresIdempotencyStore::find(const KeyRef& ref) {
  return pool_.query([&](pqxx::nontransaction& txn) -> std::optional<IdempotencyRecord> {
    const auto rows = txn.exec_prepared("read_key", ref.user_id, ref.scope, ref.key);
    if (rows.empty()) return std::nullopt;
    return sql::key_record_from(rows[0]);
  });
}

bool PostgresIdempotencyStore::take_over(const KeyRef& ref, TimePoint started_at, TimePoint now) {
  return pool_.write([&](pqxx::work& txn) {
    return txn.exec_prepared("take_over_key", ref.user_id, ref.scope, ref.key,
                             sql::micros(started_at), sql::micros(now))
               .affected_rows() == 1;
  });
}

// Single idempotent statements: autocommit, and safe for the pool to re-run on a lost link.
void PostgresIdempotencyStore::finish(const KeyRef& ref, const StoredResponse& response) {
  pool_.query([&](pqxx::nontransaction& txn) {
    txn.exec_prepared("finish_key", ref.user_id, ref.scope, ref.key, response.status,
                      response.body);
  });
}

void PostgresIdempotencyStore::release(const KeyRef& ref) {
  pool_.query([&](pqxx::nontransaction& txn) {
    txn.exec_prepared("release_key", ref.user_id, ref.scope, ref.key);
  });
}

int PostgresIdempotencyStore::purge_before(TimePoint before) {
  return pool_.write([&](pqxx::work& txn) {
    return static_cast<int>(txn.exec_prepared("purge_keys", sql::micros(before)).affected_rows());
  });
}

}  // namespace payment
