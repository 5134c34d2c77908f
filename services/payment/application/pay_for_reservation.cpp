#include "pay_for_reservation.hpp"

#include "ticketing/errors.hpp"
#include "ticketing/ids.hpp"

namespace payment {

SettleOutcome settle(const Payment& pending, ReservationService& reservations,
                     PaymentRepository& payments, QueueTokens& tokens, TimePoint now,
                     const FaultPoint& fault) {
  const auto answer = reservations.confirm(pending.reservation_id, pending.id);
  fault("after_confirm");
  const auto step = next_step(answer);
  switch (step) {
    case SagaStep::complete: {
      // The seat is SOLD for this payment, so its queue token has served: expired first, so a
      // token the queue expires at once leaves no bookkeeping. One the queue did not answer for
      // is queued with the completion, and the work queue retries it until done. A crash in
      // between leaves the payment PENDING: recovery settles it again, expiring it again.
      const bool expired = !pending.queue_token || tokens.expire(*pending.queue_token);
      fault("after_token_expiry");
      const auto token = expired ? QueueTokenState::expired : QueueTokenState::to_expire;
      return {step, payments.complete(pending.id, now, token)};
    }
    case SagaStep::refund:
      return {step, payments.refund(pending.id, now)};
    case SagaStep::retry_later:
      return {step, pending};
  }
  return {step, pending};
}

ticketing::Result<Payment, PaymentError> PayForReservation::Execute(const PayCommand& command) {
  auto reservation = reservations_.read(command.reservation_id);
  if (!reservation) return ticketing::fail(PaymentError::reservation_not_found);
  auto refusal = check_payable(*reservation, command.user_id);
  if (!refusal) {
    auto started = payments_.begin({ticketing::RandomIds::uuid_v4(), command.reservation_id,
                                    command.user_id, reservation->price, command.queue_token,
                                    clock_(), command.idempotency_key});
    if (started) {
      fault_("after_debit");
      return settle_started(started->payment);
    }
    refusal = started.error();
  }
  // Paid already: by this request's first run, when it has the key that made the payment.
  if (*refusal == PaymentError::already_paid && command.idempotency_key) {
    if (auto own = payments_.find_by_key(command.user_id, *command.idempotency_key)) {
      return settle_started(*own);
    }
  }
  return ticketing::fail(*refusal);
}

ticketing::Result<Payment, PaymentError> PayForReservation::settle_started(const Payment& payment) {
  if (auto answer = settled_answer(payment)) return std::move(*answer);
  const auto settled = settle(payment, reservations_, payments_, tokens_, clock_(), fault_);
  switch (settled.step) {
    case SagaStep::complete:
      return *settled.payment;
    case SagaStep::refund:
      return ticketing::fail(PaymentError::reservation_expired);
    case SagaStep::retry_later:
      break;
  }
  throw ticketing::DependencyUnavailable(
      "the concert service did not confirm the seat; the payment stays pending and is settled "
      "automatically");
}

}  // namespace payment
