#include "get_balance.hpp"

namespace payment {

ticketing::Result<std::int64_t, PaymentError> GetBalance::Execute(std::string_view user_id) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return points_.balance_of(user_id);
}

}  // namespace payment
