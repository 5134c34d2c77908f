#include "list_payments.hpp"

namespace payment {

ticketing::Result<std::vector<Payment>, PaymentError> ListPayments::Execute(
    std::string_view user_id) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return payments_.completed_of(user_id);
}

}  // namespace payment
