#pragma once

#include "application/ports/points_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace payment {

// Balances and their ledger in PostgreSQL (schema payment; statements in statements.cpp). A
// charge is one statement that upserts the balance under its limit and writes the CHARGE entry:
// concurrent charges of one user queue on the balance row, so none is lost.
class PostgresPointsRepository final : public PointsRepository {
 public:
  explicit PostgresPointsRepository(ticketing::db::Pool& pool) : pool_(pool) {}

  std::int64_t balance_of(std::string_view user_id) override;
  ticketing::Result<std::int64_t, PaymentError> charge(std::string_view user_id,
                                                       std::int64_t amount,
                                                       const PointsPolicy& policy,
                                                       TimePoint now) override;
  std::vector<LedgerEntry> history(std::string_view user_id, int limit) override;

 private:
  ticketing::db::Pool& pool_;
};

}  // namespace payment
