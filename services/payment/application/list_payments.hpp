#pragma once

#include <string_view>
#include <vector>

#include "known_users.hpp"
#include "ports/payment_repository.hpp"

namespace payment {

// GET /users/{userId}/payments: COMPLETED payments, newest first.
class ListPayments {
 public:
  ListPayments(KnownUsers& users, PaymentRepository& payments)
      : users_(users), payments_(payments) {}
  ticketing::Result<std::vector<Payment>, PaymentError> Execute(std::string_view user_id);

 private:
  KnownUsers& users_;
  PaymentRepository& payments_;
};

}  // namespace payment
