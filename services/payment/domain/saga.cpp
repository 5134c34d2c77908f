#include "saga.hpp"

namespace payment {

std::optional<PaymentError> check_payable(const ReservationView& reservation,
                                          std::string_view user_id) {
  if (reservation.user_id != user_id) return PaymentError::reservation_not_found;
  switch (reservation.state) {
    case HoldState::held:
      return std::nullopt;
    case HoldState::confirmed:
      return PaymentError::already_paid;
    case HoldState::expired:
    case HoldState::cancelled:
      return PaymentError::reservation_expired;
  }
  return PaymentError::reservation_expired;
}

SagaStep next_step(ConfirmAnswer answer) {
  switch (answer) {
    case ConfirmAnswer::confirmed:
      return SagaStep::complete;
    case ConfirmAnswer::refused:
      return SagaStep::refund;
    case ConfirmAnswer::unreachable:
      return SagaStep::retry_later;
  }
  return SagaStep::retry_later;
}

}  // namespace payment
