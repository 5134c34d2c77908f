#pragma once

#include <optional>
#include <string>

#include "clock.hpp"
#include "ports/payment_repository.hpp"
#include "ports/remote_services.hpp"

namespace payment {

struct PayCommand {
  std::string user_id;  // the queue token's user, via the gateway
  std::int64_t reservation_id = 0;
  std::optional<std::string> queue_token;  // expired once the seat is confirmed
  std::optional<std::string> idempotency_key;  // a retry with it gets its first run's payment
};

// The payment saga (architecture brief): read the hold, debit and record a PENDING payment in
// one transaction, confirm the hold at the concert service by payment id, then expire the queue
// token (or queue it for the work queue's retries) and COMPLETED, or refunded. A crash anywhere
// leaves a state that recovery finishes. Exactly one request makes a reservation's payment;
// every other is already_paid, except a retry with the first one's Idempotency-Key, which gets
// that payment: resumed while PENDING, as it ended once settled.
class PayForReservation {
 public:
  PayForReservation(ReservationService& reservations, PaymentRepository& payments,
                    QueueTokens& tokens, ClockFn clock, FaultPoint fault = no_faults())
      : reservations_(reservations),
        payments_(payments),
        tokens_(tokens),
        clock_(std::move(clock)),
        fault_(std::move(fault)) {}

  // The COMPLETED payment; reservation_not_found, reservation_expired (nothing charged, or the
  // charge refunded), already_paid, insufficient_balance (nothing changes). Throws
  // DependencyUnavailable when the concert service cannot be asked, or gives no answer to the
  // confirmation (the payment then stays PENDING until recovery settles it).
  ticketing::Result<Payment, PaymentError> Execute(const PayCommand& command);

 private:
  ticketing::Result<Payment, PaymentError> settle_started(const Payment& payment);

  ReservationService& reservations_;
  PaymentRepository& payments_;
  QueueTokens& tokens_;
  ClockFn clock_;
  FaultPoint fault_;
};

// Finishes a PENDING payment from the concert service's answer: completes it (and expires its
// token when possible) or refunds it. Shared by the saga and by recovery.
struct SettleOutcome {
  SagaStep step;
  std::optional<Payment> payment;  // as it now is
};
SettleOutcome settle(const Payment& pending, ReservationService& reservations,
                     PaymentRepository& payments, QueueTokens& tokens, TimePoint now,
                     const FaultPoint& fault);

}  // namespace payment
