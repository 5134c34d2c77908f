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

// One attempt at saga step 3. Throws pqxx::unique_violation when another live payment of the
// reservation committed after this attempt looked: everything it did is rolled back.
BeginOutcome begin_once(pqxx::work& txn, const NewPayment& request) {
  const auto live = txn.exec_prepared("live_payment_of", request.reservation_id);
  if (!live.empty()) {
    auto existing = sql::payment_from(live[0]);
    if (existing.status == PaymentStatus::pending && same_uuid(existing.user_id, request.user_id)) {
      return StartedPayment{std::move(existing), true};
    }
    return ticketing::fail(PaymentError::already_paid);
  }
  const auto debited =
      txn.exec_prepared("debit", request.user_id, request.amount, sql::micros(request.now));
  // Nothing was changed: returning commits an empty transaction.
  if (debited.empty()) return ticketing::fail(PaymentError::insufficient_balance);
  // The entry's time is the locked balance's: never before the user's previous change.
  txn.exec_prepared("insert_entry", request.user_id, std::string(to_string(EntryType::payment)),
                    request.amount, debited[0][0].as<std::int64_t>(), request.payment_id,
                    debited[0][1].as<std::int64_t>());
  const auto inserted = txn.exec_prepared1("insert_payment", request.payment_id,
                                           request.reservation_id, request.user_id, request.amount,
                                           request.queue_token, sql::micros(request.now));
  return StartedPayment{sql::payment_from(inserted), false};
}

}  // namespace

BeginOutcome PostgresPaymentRepository::begin(const NewPayment& request) {
  for (int attempt = 1;; ++attempt) {
    try {
      return pool_.write([&](pqxx::work& txn) { return begin_once(txn, request); });
    } catch (const pqxx::sql_error& error) {
      // Another payment of the reservation won the race: look again at what it left (resumed
      // if it is this user's PENDING one, else already paid; nothing if it failed since).
      if (!ticketing::db::is_unique_violation(error, kOneLivePerReservation) ||
          attempt >= kMaxBeginAttempts) {
        throw;
      }
    }
  }
}

std::optional<Payment> PostgresPaymentRepository::complete(std::string_view payment_id,
                                                           TimePoint now) {
  const std::string id(payment_id);
  return pool_.write([&](pqxx::work& txn) {
    txn.exec_prepared("complete_payment", id, sql::micros(now));
    return find_payment(txn, id);
  });
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
  pool_.query([&](pqxx::nontransaction& txn) {
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
