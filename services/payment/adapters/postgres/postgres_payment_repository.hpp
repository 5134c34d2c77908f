#pragma once

#include "application/ports/payment_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace payment {

// Payments and the token-expiry queue in PostgreSQL. `recoverable` commits without waiting for
// the WAL flush: what it writes, recovery can write again (services/README.md, the saga).
class PostgresPaymentRepository final : public PaymentRepository {
 public:
  // Begins that lose a race on the reservation look again; more losses than this in a row mean
  // something else is wrong.
  static constexpr int kMaxBeginAttempts = 5;

  PostgresPaymentRepository(ticketing::db::Pool& pool, ticketing::db::Pool& recoverable)
      : pool_(pool), recoverable_(recoverable) {}

  ticketing::Result<StartedPayment, PaymentError> begin(const NewPayment& payment) override;
  std::optional<Payment> complete(std::string_view payment_id, TimePoint now,
                                  QueueTokenState token) override;
  std::optional<Payment> refund(std::string_view payment_id, TimePoint now) override;

  std::optional<Payment> find(std::string_view payment_id) override;
  std::optional<Payment> find_by_key(std::string_view user_id,
                                     std::string_view idempotency_key) override;
  std::vector<Payment> completed_of(std::string_view user_id) override;
  std::vector<Payment> pending_before(TimePoint before, int limit) override;

  std::vector<TokenExpiry> due_token_expiries(TimePoint now, int limit) override;
  void token_expired(std::string_view payment_id, TimePoint now) override;
  void token_expiry_failed(std::string_view payment_id, TimePoint retry_at) override;

 private:
  ticketing::db::Pool& pool_;
  ticketing::db::Pool& recoverable_;
};

}  // namespace payment
