#include "get_payment.hpp"

#include "ticketing/ids.hpp"

namespace payment {

ticketing::Result<Payment, PaymentError> GetPayment::Execute(std::string_view user_id,
                                                             std::string_view payment_id) {
  if (!ticketing::is_canonical_uuid(payment_id))
    return ticketing::fail(PaymentError::payment_not_found);
  auto found = payments_.find(payment_id);
  if (!found || found->user_id != user_id) return ticketing::fail(PaymentError::payment_not_found);
  return std::move(*found);
}

}  // namespace payment
