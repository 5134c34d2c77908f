#include "recall_keyed_outcome.hpp"

namespace payment {

std::optional<std::int64_t> RecallKeyedOutcome::charge(std::string_view user_id,
                                                       std::string_view key) {
  return points_.charged_under_key(user_id, key);
}

std::optional<Payment> RecallKeyedOutcome::payment(std::string_view user_id, std::string_view key,
                                                   std::optional<std::string_view> paid_with) {
  auto payment = payments_.find_by_key(user_id, key);
  if (payment && paid_with && payment->queue_token != *paid_with) return std::nullopt;
  return payment;
}

}  // namespace payment
