#include "known_users.hpp"

#include "ticketing/ids.hpp"

namespace payment {

ticketing::Result<ticketing::Unit, PaymentError> KnownUsers::check(std::string_view user_id) {
  if (!ticketing::is_canonical_uuid(user_id)) return ticketing::fail(PaymentError::invalid_user_id);
  if (!directory_.exists(user_id)) return ticketing::fail(PaymentError::user_not_found);
  return ticketing::Unit{};
}

}  // namespace payment
