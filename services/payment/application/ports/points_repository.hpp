#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/payment.hpp"
#include "domain/points.hpp"
#include "ticketing/result.hpp"

namespace payment {

// Balances and their ledger. Every change writes the balance and one ledger entry in the same
// transaction; concurrent changes of one balance are serialised on its row, so none is lost.
class PointsRepository {
 public:
  virtual ~PointsRepository() = default;

  virtual std::int64_t balance_of(std::string_view user_id) = 0;  // 0 for a user never charged
  // The new balance, or balance_limit_exceeded (nothing changes) when it would pass
  // policy.max_balance. A charge with an Idempotency-Key (not empty) writes it on its ledger
  // entry, and is made at most once per user and key: a repeat answers the balance right after
  // the first.
  virtual ticketing::Result<std::int64_t, PaymentError> charge(std::string_view user_id,
                                                               std::int64_t amount,
                                                               std::string_view idempotency_key,
                                                               const PointsPolicy& policy,
                                                               TimePoint now) = 0;
  // The balance right after the user's charge under `idempotency_key`; nullopt: none was made.
  virtual std::optional<std::int64_t> charged_under_key(std::string_view user_id,
                                                        std::string_view idempotency_key) = 0;
  // Newest first.
  virtual std::vector<LedgerEntry> history(std::string_view user_id, int limit) = 0;
};

}  // namespace payment
