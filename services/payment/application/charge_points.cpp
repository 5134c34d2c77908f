#include "points_use_cases.hpp"

#include <algorithm>

#include "ticketing/ids.hpp"

namespace payment {

ticketing::Result<std::int64_t, PaymentError> GetBalance::Execute(std::string_view user_id) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return points_.balance_of(user_id);
}

ticketing::Result<std::int64_t, PaymentError> ChargePoints::Execute(
    std::string_view user_id, std::int64_t amount, std::string_view idempotency_key) {
  if (!is_valid_charge(amount, policy_)) return ticketing::fail(PaymentError::invalid_amount);
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  auto charged = points_.charge(user_id, amount, idempotency_key, policy_, clock_());
  fault_("after_charge");
  return charged;
}

ticketing::Result<std::vector<LedgerEntry>, PaymentError> GetHistory::Execute(
    std::string_view user_id, int limit) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return points_.history(user_id, std::clamp(limit, 1, kMaxLimit));
}

ticketing::Result<std::vector<Payment>, PaymentError> ListPayments::Execute(
    std::string_view user_id) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return payments_.completed_of(user_id);
}

ticketing::Result<Payment, PaymentError> GetPayment::Execute(std::string_view user_id,
                                                             std::string_view payment_id) {
  if (!ticketing::is_canonical_uuid(payment_id))
    return ticketing::fail(PaymentError::payment_not_found);
  auto found = payments_.find(payment_id);
  if (!found || found->user_id != user_id) return ticketing::fail(PaymentError::payment_not_found);
  return std::move(*found);
}

}  // namespace payment
