#include "recovery.hpp"

#include <algorithm>

#include "pay_for_reservation.hpp"

namespace payment {

namespace {
constexpr int kBatch = 100;

// 1 s, 2 s, 4 s ... at most a minute between attempts to expire a token.
std::chrono::seconds retry_delay(int attempts) {
  return std::chrono::seconds(std::min(60, 1 << std::min(attempts, 6)));
}
}  // namespace

RecoveryReport RecoverPayments::Execute() {
  RecoveryReport report;
  const auto now = clock_();
  for (const auto& pending : payments_.pending_before(now - grace_, kBatch)) {
    switch (settle(pending, reservations_, payments_, tokens_, clock_(), fault_).step) {
      case SagaStep::complete:
        ++report.completed;
        break;
      case SagaStep::refund:
        ++report.refunded;
        break;
      case SagaStep::retry_later:
        ++report.still_pending;
        break;
    }
  }
  for (const auto& due : payments_.due_token_expiries(clock_(), kBatch)) {
    if (tokens_.expire(due.queue_token)) {
      payments_.token_expired(due.payment_id, clock_());
      ++report.tokens_expired;
    } else {
      payments_.token_expiry_failed(due.payment_id, clock_() + retry_delay(due.attempts));
    }
  }
  return report;
}

}  // namespace payment
