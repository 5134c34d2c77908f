#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "points.hpp"
#include "ticketing/result.hpp"

namespace payment {

// PENDING: points debited, seat not yet confirmed (a crash here is settled by recovery).
// COMPLETED: seat SOLD for this payment. FAILED: the hold lapsed or went; points refunded.
enum class PaymentStatus { pending, completed, failed };
std::string_view to_string(PaymentStatus status);
std::optional<PaymentStatus> payment_status_from(std::string_view text);

struct Payment {
  std::string id;  // UUID
  std::int64_t reservation_id = 0;
  std::string user_id;
  std::int64_t amount = 0;
  PaymentStatus status = PaymentStatus::pending;
  TimePoint created_at;
  std::optional<TimePoint> paid_at;        // when COMPLETED
  std::optional<std::string> queue_token;  // expired once COMPLETED
};

// Stable domain failures; the HTTP adapter alone maps them to statuses and codes.
enum class PaymentError {
  invalid_user_id,
  user_not_found,
  invalid_amount,
  balance_limit_exceeded,
  insufficient_balance,
  reservation_not_found,
  reservation_expired,
  already_paid,
  payment_not_found,
  idempotency_key_reused,
  idempotency_in_progress,
};

// The answer a payment request gets once its payment has settled: the COMPLETED payment, or
// reservation_expired for a FAILED (refunded) one; nullopt while it is still PENDING.
std::optional<ticketing::Result<Payment, PaymentError>> settled_answer(const Payment& payment);

}  // namespace payment
