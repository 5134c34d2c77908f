#pragma once

#include <string_view>

#include "ports/payment_repository.hpp"

namespace payment {

// GET /payments/{paymentId}: only its payer sees it.
class GetPayment {
 public:
  explicit GetPayment(PaymentRepository& payments) : payments_(payments) {}
  ticketing::Result<Payment, PaymentError> Execute(std::string_view user_id,
                                                   std::string_view payment_id);

 private:
  PaymentRepository& payments_;
};

}  // namespace payment
