#pragma once

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "application/ports/idempotency_store.hpp"
#include "application/ports/payment_repository.hpp"
#include "application/ports/points_repository.hpp"

namespace payment {

// Balances, ledger, payments and idempotency keys in process memory behind one mutex: the
// reference behaviour of the ports for use-case tests.
class InMemoryPaymentStore final : public PointsRepository,
                                   public PaymentRepository,
                                   public IdempotencyStore {
 public:
  std::int64_t balance_of(std::string_view user_id) override;
  ticketing::Result<std::int64_t, PaymentError> charge(std::string_view user_id,
                                                       std::int64_t amount,
                                                       std::string_view idempotency_key,
                                                       const PointsPolicy& policy,
                                                       TimePoint now) override;
  std::optional<std::int64_t> charged_under_key(std::string_view user_id,
                                                std::string_view idempotency_key) override;
  std::vector<LedgerEntry> history(std::string_view user_id, int limit) override;

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

  std::optional<IdempotencyRecord> claim(const KeyRef& ref, std::string_view fingerprint,
                                         TimePoint now) override;
  std::optional<IdempotencyRecord> find(const KeyRef& ref) override;
  bool take_over(const KeyRef& ref, TimePoint started_at, TimePoint now) override;
  void finish(const KeyRef& ref, const StoredResponse& response) override;
  void release(const KeyRef& ref) override;
  int purge_before(TimePoint before) override;

 private:
  struct Account {
    std::int64_t balance = 0;
    std::vector<LedgerEntry> ledger;                                 // oldest first
    std::map<std::string, std::int64_t, std::less<>> charge_keys;  // key -> balance after
  };
  struct Expiry {
    TokenExpiry work;
    TimePoint next_attempt;
    bool done = false;
  };
  using Key = std::tuple<std::string, std::string, std::string>;

  void post(const std::string& user_id, EntryType type, std::int64_t amount, TimePoint now);

  std::mutex mutex_;
  std::map<std::string, Account, std::less<>> accounts_;
  std::map<std::string, Payment, std::less<>> payments_;  // by id
  std::map<std::string, std::string, std::less<>> payment_keys_;  // payment id -> its key
  std::vector<std::string> payment_order_;                // ids in order of creation
  std::map<std::string, Expiry, std::less<>> expiries_;
  std::map<Key, IdempotencyRecord> keys_;
};

}  // namespace payment
