#include "charge_points.hpp"

namespace payment {

ticketing::Result<std::int64_t, PaymentError> ChargePoints::Execute(
    std::string_view user_id, std::int64_t amount, std::string_view idempotency_key) {
  if (!is_valid_charge(amount, policy_)) return ticketing::fail(PaymentError::invalid_amount);
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  auto charged = points_.charge(user_id, amount, idempotency_key, policy_, clock_());
  fault_("after_charge");
  return charged;
}

}  // namespace payment
