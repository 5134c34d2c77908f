#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/payment.hpp"
#include "ticketing/result.hpp"

namespace payment {

struct NewPayment {
  std::string payment_id;  // UUID chosen by the caller
  std::int64_t reservation_id = 0;
  std::string user_id;
  std::int64_t amount = 0;
  std::optional<std::string> queue_token;  // expired once the payment completes
  TimePoint now;
  std::optional<std::string> idempotency_key;  // the request's: a retry finds its payment by it
};

struct StartedPayment {
  Payment payment;
  bool resumed = false;  // this request's own payment (same user and key) existed already
};

// Where a completing payment's queue token stands: the saga expires it before completing.
enum class QueueTokenState {
  expired,    // expired already (or the payment has none): nothing is left to do
  to_expire,  // the queue did not answer: complete() queues it for the work queue's retries
};

struct TokenExpiry {
  std::string payment_id;
  std::string queue_token;
  int attempts = 0;
};

// Payments and the work they leave behind. Each method is one transaction.
class PaymentRepository {
 public:
  virtual ~PaymentRepository() = default;

  // Saga step 3: debit the balance (never below zero), write the PAYMENT ledger entry and a
  // PENDING payment, all at once. insufficient_balance: nothing changes. When the reservation
  // has a live (PENDING or COMPLETED) payment already, nothing changes either: it is returned
  // (resumed) when it is this request's own (same user and Idempotency-Key), else already_paid,
  // whoever asks: exactly one request creates a reservation's payment.
  virtual ticketing::Result<StartedPayment, PaymentError> begin(const NewPayment& payment) = 0;
  // PENDING -> COMPLETED, and the payment's queue token queued for expiry when it is still to
  // expire. A payment that is not PENDING is left as it is. Returns the payment as it now is
  // (nullopt: unknown id).
  virtual std::optional<Payment> complete(std::string_view payment_id, TimePoint now,
                                          QueueTokenState token) = 0;
  // PENDING -> FAILED, the amount credited back with a REFUND ledger entry. Not PENDING: left.
  virtual std::optional<Payment> refund(std::string_view payment_id, TimePoint now) = 0;

  virtual std::optional<Payment> find(std::string_view payment_id) = 0;
  // The user's latest payment made under `idempotency_key` (nullopt: none).
  virtual std::optional<Payment> find_by_key(std::string_view user_id,
                                             std::string_view idempotency_key) = 0;
  // COMPLETED payments of the user, newest first.
  virtual std::vector<Payment> completed_of(std::string_view user_id) = 0;
  // PENDING payments created before `before`, oldest first (for recovery).
  virtual std::vector<Payment> pending_before(TimePoint before, int limit) = 0;

  // The token-expiry work queue: a row per COMPLETED payment whose token is still to expire,
  // until done.
  virtual std::vector<TokenExpiry> due_token_expiries(TimePoint now, int limit) = 0;
  virtual void token_expired(std::string_view payment_id, TimePoint now) = 0;
  virtual void token_expiry_failed(std::string_view payment_id, TimePoint retry_at) = 0;
};

}  // namespace payment
