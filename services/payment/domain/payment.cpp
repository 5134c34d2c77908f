#include "payment.hpp"

namespace payment {

std::string_view to_string(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::pending:
      return "PENDING";
    case PaymentStatus::completed:
      return "COMPLETED";
    case PaymentStatus::failed:
      return "FAILED";
  }
  return "PENDING";
}

std::optional<PaymentStatus> payment_status_from(std::string_view text) {
  if (text == "PENDING") return PaymentStatus::pending;
  if (text == "COMPLETED") return PaymentStatus::completed;
  if (text == "FAILED") return PaymentStatus::failed;
  return std::nullopt;
}

std::optional<ticketing::Result<Payment, PaymentError>> settled_answer(const Payment& payment) {
  switch (payment.status) {
    case PaymentStatus::completed:
      return ticketing::Result<Payment, PaymentError>(payment);
    case PaymentStatus::failed:
      return ticketing::Result<Payment, PaymentError>(
          ticketing::fail(PaymentError::reservation_expired));
    case PaymentStatus::pending:
      break;
  }
  return std::nullopt;
}

}  // namespace payment
