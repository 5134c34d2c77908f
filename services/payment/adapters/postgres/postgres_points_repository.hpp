#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "application/ports/points_repository.hpp"
#include "ticketing/batcher.hpp"
#include "ticketing/db/pool.hpp"

namespace payment {

// Balances and their ledger in PostgreSQL (schema payment; statements in statements.cpp).
// Concurrent charges are gathered into batches: while one batch runs, the charges that arrive
// form the next, and each batch is one statement that upserts every balance under its limit
// and writes the CHARGE entries, in one commit. A user charged twice in one batch is charged in
// a second statement after the first, in the order the charges came. Concurrent changes of one
// balance queue on its row, so none is lost.
class PostgresPointsRepository final : public PointsRepository {
 public:
  static constexpr std::size_t kMaxChargeBatch = 64;

  explicit PostgresPointsRepository(ticketing::db::Pool& pool);

  std::int64_t balance_of(std::string_view user_id) override;
  // Blocks the calling thread until its batch is done.
  ticketing::Result<std::int64_t, PaymentError> charge(std::string_view user_id,
                                                       std::int64_t amount,
                                                       std::string_view idempotency_key,
                                                       const PointsPolicy& policy,
                                                       TimePoint now) override;
  std::optional<std::int64_t> charged_under_key(std::string_view user_id,
                                                std::string_view idempotency_key) override;
  std::vector<LedgerEntry> history(std::string_view user_id, int limit) override;

 private:
  struct ChargeRequest {
    std::string user_id;
    std::int64_t amount = 0;
    std::int64_t max_balance = 0;
    TimePoint now;
    std::optional<std::string> idempotency_key;
  };
  // The new balance, nullopt when the charge was past the limit, or the failure of the
  // statement that carried it (which leaves the other rounds of its batch alone).
  struct ChargeOutcome {
    std::optional<std::int64_t> balance;
    std::exception_ptr error;
  };

  std::vector<ChargeOutcome> charge_batch(const std::vector<ChargeRequest>& requests);
  // One statement for `round`: indexes into `requests` of distinct users with one limit.
  void charge_round(const std::vector<ChargeRequest>& requests,
                    const std::vector<std::size_t>& round, std::vector<ChargeOutcome>& outcomes);

  ticketing::db::Pool& pool_;
  ticketing::Batcher<ChargeRequest, ChargeOutcome> charges_;  // last: stops first
};

}  // namespace payment
