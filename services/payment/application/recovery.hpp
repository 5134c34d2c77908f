#pragma once

#include <chrono>

#include "clock.hpp"
#include "ports/idempotency_store.hpp"
#include "ports/payment_repository.hpp"
#include "ports/remote_services.hpp"

namespace payment {

struct RecoveryReport {
  int completed = 0;
  int refunded = 0;
  int still_pending = 0;  // the concert service did not answer; tried again next pass
  int tokens_expired = 0;
};

// The recovery loop of the saga, run by every replica: PENDING payments older than `grace`
// (their request died between debit and settlement) are confirmed again by payment id —
// idempotent at the concert service — and completed or refunded by its answer; queue tokens of
// completed payments are expired until the queue service has done it. Safe with many replicas:
// every step is conditional on the state it changes.
class RecoverPayments {
 public:
  RecoverPayments(ReservationService& reservations, PaymentRepository& payments,
                  QueueTokens& tokens, ClockFn clock, std::chrono::seconds grace,
                  FaultPoint fault = no_faults())
      : reservations_(reservations),
        payments_(payments),
        tokens_(tokens),
        clock_(std::move(clock)),
        grace_(grace),
        fault_(std::move(fault)) {}

  RecoveryReport Execute();

 private:
  ReservationService& reservations_;
  PaymentRepository& payments_;
  QueueTokens& tokens_;
  ClockFn clock_;
  std::chrono::seconds grace_;
  FaultPoint fault_;
};

}  // namespace payment
