#pragma once

#include <string_view>

#include "domain/payment.hpp"
#include "ports/remote_services.hpp"
#include "ticketing/result.hpp"

namespace payment {

// User routes take the user id in the path: it must be a canonical UUID of a user the queue
// service knows.
class KnownUsers {
 public:
  explicit KnownUsers(UserDirectory& directory) : directory_(directory) {}

  // invalid_user_id or user_not_found; throws DependencyUnavailable if nobody can tell.
  ticketing::Result<ticketing::Unit, PaymentError> check(std::string_view user_id);

 private:
  UserDirectory& directory_;
};

}  // namespace payment
