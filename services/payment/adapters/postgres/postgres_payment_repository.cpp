#include "postgres_payment_repository.hpp"

#include <algorithm>
#include <cctype>
#include <pqxx/transaction>
#include <string>

#include "rows.hpp"
#include "statements.hpp"
#include "ticketing/db/errors.hpp"

namespace payment {

using BeginOutcome = ticketing::Result<StartedPayment, PaymentError>;

namespace {

constexpr const char* kOneLivePerReservation = "payments_one_live_per_reservation";

// UUIDs compare as values: the database prints them lowercase, a caller may not.
bool same_uuid(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

template <class Txn>
std::optional<Payment> find_payment(Txn& txn, std::string_view payment_id) {
  const auto rows = txn.exec_prepared("find_payment", std::string(payment_id));
  if (rows.empty()) return std::nullopt;
  return sql::payment_from(rows[0]);
}

std::vector<Payment> payments_from(const pqxx::result& rows) {
  std::vector<Payment> payments;
  payments.reserve(rows.size());
  for (const auto& row : rows) payments.push_back(sql::payment_from(row));
  return payments;
}

// One attempt at saga step 3, one statement in autocommit. Throws pqxx::unique_violation when
// another live payment of the reservation committed after this attempt looked: nothing was kept.
BeginOutcome begin_once(pqxx::nontransaction& txn, const NewPayment& request) {
  const auto rows = txn.exec_prepared("begin_payment", request.payment_id, request.reservation_id,
                                      request.user_id, request.amount, request.queue_token,
                                      sql::micros(request.now), request.idempotency_key);
  if (rows.empty()) return ticketing::fail(PaymentError::insufficient_balance);
  auto payment = sql::payment_from(rows[0]);
  const bool existing = rows[0][8].as<bool>();
  if (!existing) return StartedPayment{std::move(payment), false};
  const bool own = request.idempotency_key && !rows[0][9].is_null() &&
                   rows[0][9].as<std::string>() == *request.idempotency_key &&
                   same_uuid(payment.user_id, request.user_id);
  if (own) return StartedPayment{std::move(payment), true};
  return ticketing::fail(PaymentError::already_paid);
}

}  // namespace

BeginOutcome PostgresPaymentRepository::begin(const NewPayment& request) {
  for (int attempt = 1;; ++attempt) {
    try {
      return pool_.execute([&](pqxx::nontransaction& txn) { return begin_once(txn, request); });
    } catch (const pqxx::sql_error& error) {
      // Another payment of the reservation won the race: look again at what it left (resumed
      // if it is this request's own, else already paid; nothing if it failed since).
      if (!ticketing::db::is_unique_violation(error, kOneLivePerReservation) ||
          attempt >= kMaxBeginAttempts) {
        throw;
      }
    }
  }
}

// Idempotent, so run as a query: re-run once after a lost link, it finds the payment completed.
std::optional<Payment> PostgresPaymentRepository::complete(std::string_view payment_id,
                                                           TimePoint now, QueueTokenState token) {
  const std::string id(payment_id);
  const bool queue_token = token == QueueTokenState::to_expire;
  auto completed = recoverable_.query([&](pqxx::nontransaction& txn) -> std::optional<Payment> {
    const auto rows = txn.exec_prepared("complete_payment", id, sql::micros(now), queue_token);
    if (rows.empty()) return std::nullopt;
    return sql::payment_from(rows[0]);
  });
  // Still PENDING: a refund (or another complete) changed it while this statement waited.
  if (completed && completed->status == PaymentStatus::pending) return find(id);
  return completed;
}

std::optional<Payment> PostgresPaymentRepository::refund(std::string_view payment_id,
                                                         TimePoint now) {
  const std::string id(payment_id);
  return pool_.write([&](pqxx::work& txn) {
    // Not PENDING (or unknown): nothing to refund, and nothing was locked.
    if (!txn.exec_prepared("lock_balance_of_pending", id).empty()) {
      txn.exec_prepared("refund_payment", id, sql::micros(now));
    }
    return find_payment(txn, id);
  });
}

std::optional<Payment> PostgresPaymentRepository::find(std::string_view payment_id) {
  return pool_.query([&](pqxx::nontransaction& txn) { return find_payment(txn, payment_id); });
}

std::optional<Payment> PostgresPaymentRepository::find_by_key(std::string_view user_id,
                                                              std::string_view idempotency_key) {
  return pool_.query([&](pqxx::nontransaction& txn) -> std::optional<Payment> {
    const auto rows =
        txn.exec_prepared("payment_by_key", std::string(user_id), std::string(idempotency_key));
    if (rows.empty()) return std::nullopt;
    return sql::payment_from(rows[0]);
  });
}

std::vector<Payment> PostgresPaymentRepository::completed_of(std::string_view user_id) {
  return pool_.query([&](pqxx::nontransaction& txn) {
    return payments_from(txn.exec_prepared("completed_of", std::string(user_id)));
  });
}

std::vector<Payment> PostgresPaymentRepository::pending_before(TimePoint before, int limit) {
  return pool_.query([&](pqxx::nontransaction& txn) {
    return payments_from(txn.exec_prepared("pending_before", sql::micros(before), limit));
  });
}

std::vector<TokenExpiry> PostgresPaymentRepository::due_token_expiries(TimePoint now, int limit) {
  return pool_.query([&](pqxx::nontransaction& txn) {
    std::vector<TokenExpiry> due;
    for (const auto& row : txn.exec_prepared("due_token_expiries", sql::micros(now), limit)) {
      due.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>()});
    }
    return due;
  });
}

// Single statements in autocommit: re-run by the pool after a lost link, which at worst counts
// one failed attempt twice.
void PostgresPaymentRepository::token_expired(std::string_view payment_id, TimePoint now) {
  recoverable_.query([&](pqxx::nontransaction& txn) {
    txn.exec_prepared("token_expired", std::string(payment_id), sql::micros(now));
  });
}

void PostgresPaymentRepository::token_expiry_failed(std::string_view payment_id,
                                                    TimePoint retry_at) {
  pool_.query([&](pqxx::nontransaction& txn) {
    txn.exec_prepared("token_expiry_failed", std::string(payment_id), sql::micros(retry_at));
  });
}

}  // namespace payment
