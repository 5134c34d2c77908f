#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ports/payment_repository.hpp"
#include "ports/points_repository.hpp"

namespace payment {

// What a keyed request did, read from the effect that carries its Idempotency-Key (its ledger
// entry, its payment): the answer of a retry whose first run's stored answer was lost, say when
// the database died between the two. It only reads; it never runs anything.
class RecallKeyedOutcome {
 public:
  RecallKeyedOutcome(PointsRepository& points, PaymentRepository& payments)
      : points_(points), payments_(payments) {}

  // The balance right after the charge made under the key; nullopt: none was made.
  std::optional<std::int64_t> charge(std::string_view user_id, std::string_view key);
  // The payment made under the key (its answer: settled_answer); nullopt: none was made, or,
  // when `paid_with` is given, none with that queue token.
  std::optional<Payment> payment(std::string_view user_id, std::string_view key,
                                 std::optional<std::string_view> paid_with = std::nullopt);

 private:
  PointsRepository& points_;
  PaymentRepository& payments_;
};

}  // namespace payment
