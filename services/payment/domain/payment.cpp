#include "idempotency.hpp"
#include "payment.hpp"
#include "points.hpp"
#include "saga.hpp"

namespace payment {

std::string_view to_string(EntryType type) {
  switch (type) {
    case EntryType::charge:
      return "CHARGE";
    case EntryType::payment:
      return "PAYMENT";
    case EntryType::refund:
      return "REFUND";
  }
  return "CHARGE";
}

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
      return ticketing::Result<Payment, PaymentError>(ticketing::fail(PaymentError::reservation_expired));
    case PaymentStatus::pending:
      break;
  }
  return std::nullopt;
}

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

bool is_valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::string fingerprint(std::string_view body) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
  return out;
}

KeyDecision decide_key(const std::optional<IdempotencyRecord>& stored,
                       std::string_view request_fingerprint, TimePoint now,
                       std::chrono::seconds abandoned_after) {
  if (!stored) return KeyDecision::run;
  if (stored->fingerprint != request_fingerprint) return KeyDecision::reused;
  if (stored->response) return KeyDecision::replay;
  if (stored->started_at + abandoned_after <= now) return KeyDecision::take_over;
  return KeyDecision::in_progress;
}

}  // namespace payment
