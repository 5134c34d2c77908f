#include "in_memory_payment_store.hpp"

#include <algorithm>

namespace payment {

namespace {
std::tuple<std::string, std::string, std::string> key_of(const KeyRef& ref) {
  return {ref.user_id, ref.scope, ref.key};
}
}  // namespace

void InMemoryPaymentStore::post(const std::string& user_id, EntryType type, std::int64_t amount,
                                TimePoint now) {
  auto& account = accounts_[user_id];
  account.balance += type == EntryType::payment ? -amount : amount;
  account.ledger.push_back({type, amount, account.balance, now});
}

std::int64_t InMemoryPaymentStore::balance_of(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(user_id);
  return it == accounts_.end() ? 0 : it->second.balance;
}

ticketing::Result<std::int64_t, PaymentError> InMemoryPaymentStore::charge(
    std::string_view user_id, std::int64_t amount, std::string_view idempotency_key,
    const PointsPolicy& policy, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto& account = accounts_[std::string(user_id)];
  if (auto made = account.charge_keys.find(idempotency_key); made != account.charge_keys.end()) {
    return made->second;
  }
  if (!charge_fits(account.balance, amount, policy)) {
    return ticketing::fail(PaymentError::balance_limit_exceeded);
  }
  post(std::string(user_id), EntryType::charge, amount, now);
  if (!idempotency_key.empty()) account.charge_keys.emplace(idempotency_key, account.balance);
  return account.balance;
}

std::optional<std::int64_t> InMemoryPaymentStore::charged_under_key(
    std::string_view user_id, std::string_view idempotency_key) {
  std::lock_guard lock(mutex_);
  auto account = accounts_.find(user_id);
  if (account == accounts_.end()) return std::nullopt;
  auto made = account->second.charge_keys.find(idempotency_key);
  if (made == account->second.charge_keys.end()) return std::nullopt;
  return made->second;
}

std::vector<LedgerEntry> InMemoryPaymentStore::history(std::string_view user_id, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<LedgerEntry> entries;
  auto it = accounts_.find(user_id);
  if (it == accounts_.end()) return entries;
  for (auto e = it->second.ledger.rbegin(); e != it->second.ledger.rend() && limit-- > 0; ++e) {
    entries.push_back(*e);
  }
  return entries;
}

ticketing::Result<StartedPayment, PaymentError> InMemoryPaymentStore::begin(const NewPayment& p) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, existing] : payments_) {
    if (existing.reservation_id != p.reservation_id || existing.status == PaymentStatus::failed)
      continue;
    const auto key = payment_keys_.find(id);
    const bool own = p.idempotency_key && key != payment_keys_.end() &&
                     key->second == *p.idempotency_key && existing.user_id == p.user_id;
    if (own) return StartedPayment{existing, true};
    return ticketing::fail(PaymentError::already_paid);
  }
  auto& account = accounts_[p.user_id];
  if (account.balance < p.amount) return ticketing::fail(PaymentError::insufficient_balance);
  post(p.user_id, EntryType::payment, p.amount, p.now);
  Payment payment{p.payment_id, p.reservation_id, p.user_id,    p.amount, PaymentStatus::pending,
                  p.now,        std::nullopt,     p.queue_token};
  payments_.emplace(payment.id, payment);
  payment_order_.push_back(payment.id);
  if (p.idempotency_key) payment_keys_.emplace(payment.id, *p.idempotency_key);
  return StartedPayment{payment, false};
}

std::optional<Payment> InMemoryPaymentStore::complete(std::string_view payment_id, TimePoint now,
                                                      QueueTokenState token) {
  std::lock_guard lock(mutex_);
  auto it = payments_.find(payment_id);
  if (it == payments_.end()) return std::nullopt;
  auto& payment = it->second;
  if (payment.status == PaymentStatus::pending) {
    payment.status = PaymentStatus::completed;
    payment.paid_at = now;
    if (payment.queue_token && token == QueueTokenState::to_expire) {
      expiries_[payment.id] = {{payment.id, *payment.queue_token, 0}, now};
    }
  }
  return payment;
}

std::optional<Payment> InMemoryPaymentStore::refund(std::string_view payment_id, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = payments_.find(payment_id);
  if (it == payments_.end()) return std::nullopt;
  auto& payment = it->second;
  if (payment.status == PaymentStatus::pending) {
    payment.status = PaymentStatus::failed;
    post(payment.user_id, EntryType::refund, payment.amount, now);
  }
  return payment;
}

std::optional<Payment> InMemoryPaymentStore::find(std::string_view payment_id) {
  std::lock_guard lock(mutex_);
  auto it = payments_.find(payment_id);
  if (it == payments_.end()) return std::nullopt;
  return it->second;
}

std::optional<Payment> InMemoryPaymentStore::find_by_key(std::string_view user_id,
                                                         std::string_view idempotency_key) {
  std::lock_guard lock(mutex_);
  for (auto id = payment_order_.rbegin(); id != payment_order_.rend(); ++id) {
    const auto key = payment_keys_.find(*id);
    const auto& payment = payments_.at(*id);
    if (key != payment_keys_.end() && key->second == idempotency_key && payment.user_id == user_id)
      return payment;
  }
  return std::nullopt;
}

std::vector<Payment> InMemoryPaymentStore::completed_of(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  std::vector<Payment> out;
  for (auto id = payment_order_.rbegin(); id != payment_order_.rend(); ++id) {
    const auto& payment = payments_.at(*id);
    if (payment.user_id == user_id && payment.status == PaymentStatus::completed)
      out.push_back(payment);
  }
  return out;
}

std::vector<Payment> InMemoryPaymentStore::pending_before(TimePoint before, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<Payment> out;
  for (const auto& id : payment_order_) {
    const auto& payment = payments_.at(id);
    if (payment.status == PaymentStatus::pending && payment.created_at < before &&
        static_cast<int>(out.size()) < limit) {
      out.push_back(payment);
    }
  }
  return out;
}

std::vector<TokenExpiry> InMemoryPaymentStore::due_token_expiries(TimePoint now, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<TokenExpiry> out;
  for (const auto& [id, expiry] : expiries_) {
    if (!expiry.done && expiry.next_attempt <= now && static_cast<int>(out.size()) < limit) {
      out.push_back(expiry.work);
    }
  }
  return out;
}

void InMemoryPaymentStore::token_expired(std::string_view payment_id, TimePoint) {
  std::lock_guard lock(mutex_);
  if (auto it = expiries_.find(payment_id); it != expiries_.end()) it->second.done = true;
}

void InMemoryPaymentStore::token_expiry_failed(std::string_view payment_id, TimePoint retry_at) {
  std::lock_guard lock(mutex_);
  if (auto it = expiries_.find(payment_id); it != expiries_.end()) {
    ++it->second.work.attempts;
    it->second.next_attempt = retry_at;
  }
}

std::optional<IdempotencyRecord> InMemoryPaymentStore::claim(const KeyRef& ref,
                                                             std::string_view fingerprint,
                                                             TimePoint now) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = keys_.try_emplace(
      key_of(ref), IdempotencyRecord{std::string(fingerprint), std::nullopt, now});
  if (inserted) return std::nullopt;
  return it->second;
}

std::optional<IdempotencyRecord> InMemoryPaymentStore::find(const KeyRef& ref) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key_of(ref));
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

bool InMemoryPaymentStore::take_over(const KeyRef& ref, TimePoint started_at, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key_of(ref));
  if (it == keys_.end() || it->second.response || it->second.started_at != started_at) return false;
  it->second.started_at = now;
  return true;
}

void InMemoryPaymentStore::finish(const KeyRef& ref, const StoredResponse& response) {
  std::lock_guard lock(mutex_);
  if (auto it = keys_.find(key_of(ref)); it != keys_.end()) it->second.response = response;
}

void InMemoryPaymentStore::release(const KeyRef& ref) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key_of(ref));
  if (it != keys_.end() && !it->second.response) keys_.erase(it);
}

int InMemoryPaymentStore::purge_before(TimePoint before) {
  std::lock_guard lock(mutex_);
  return static_cast<int>(
      std::erase_if(keys_, [&](const auto& entry) { return entry.second.started_at < before; }));
}

}  // namespace payment
