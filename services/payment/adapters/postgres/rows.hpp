#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/field>
#include <pqxx/result>
#include <pqxx/row>
#include <stdexcept>
#include <string>

#include "domain/idempotency.hpp"
#include "domain/payment.hpp"
#include "domain/points.hpp"

namespace payment::sql {

inline std::int64_t micros(TimePoint at) {
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

inline TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

inline std::optional<TimePoint> optional_time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return from_micros(field.as<std::int64_t>());
}

inline EntryType entry_type_from(const std::string& text) {
  if (text == "PAYMENT") return EntryType::payment;
  if (text == "REFUND") return EntryType::refund;
  if (text == "CHARGE") return EntryType::charge;
  throw std::runtime_error("payment: unknown ledger entry type " + text);
}

// A ledger entry from the columns type, amount, balance_after, created_us.
inline LedgerEntry entry_from(const pqxx::row& row) {
  LedgerEntry entry;
  entry.type = entry_type_from(row[0].as<std::string>());
  entry.amount = row[1].as<std::int64_t>();
  entry.balance_after = row[2].as<std::int64_t>();
  entry.created_at = from_micros(row[3].as<std::int64_t>());
  return entry;
}

// A payment from PAYMENT_COLUMNS (see statements.cpp): id, reservation_id, user_id, amount,
// status, created_us, completed_us, queue_token.
inline Payment payment_from(const pqxx::row& row) {
  Payment payment;
  payment.id = row[0].as<std::string>();
  payment.reservation_id = row[1].as<std::int64_t>();
  payment.user_id = row[2].as<std::string>();
  payment.amount = row[3].as<std::int64_t>();
  const auto status = row[4].as<std::string>();
  const auto parsed = payment_status_from(status);
  if (!parsed) throw std::runtime_error("payment: unknown payment status " + status);
  payment.status = *parsed;
  payment.created_at = from_micros(row[5].as<std::int64_t>());
  payment.paid_at = optional_time(row[6]);
  if (!row[7].is_null()) payment.queue_token = row[7].as<std::string>();
  return payment;
}

// An idempotency record from the columns fingerprint, response_status, response_body,
// started_us.
inline IdempotencyRecord key_record_from(const pqxx::row& row) {
  IdempotencyRecord record;
  record.fingerprint = row[0].as<std::string>();
  if (!row[1].is_null())
    record.response = StoredResponse{row[1].as<int>(), row[2].as<std::string>()};
  record.started_at = from_micros(row[3].as<std::int64_t>());
  return record;
}

}  // namespace payment::sql
