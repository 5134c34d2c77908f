#pragma once

#include <cstdint>
#include <string_view>

#include "ticketing/time.hpp"

namespace payment {

using ticketing::TimePoint;

// Limits on points (KRW, whole numbers).
struct PointsPolicy {
  std::int64_t max_charge = 1'000'000;     // POINTS_MAX_CHARGE: largest single charge
  std::int64_t max_balance = 100'000'000;  // POINTS_MAX_BALANCE: largest balance
};

// A charge amount is 1..max_charge.
inline bool is_valid_charge(std::int64_t amount, const PointsPolicy& policy) {
  return amount >= 1 && amount <= policy.max_charge;
}

// Whether `balance + amount` stays within the limit (without overflowing).
inline bool charge_fits(std::int64_t balance, std::int64_t amount, const PointsPolicy& policy) {
  return amount <= policy.max_balance - balance;
}

// Every change of a balance is one ledger entry with the balance after it.
enum class EntryType { charge, payment, refund };
std::string_view to_string(EntryType type);

struct LedgerEntry {
  EntryType type = EntryType::charge;
  std::int64_t amount = 0;  // always positive; the type says which way it went
  std::int64_t balance_after = 0;
  TimePoint created_at;
};

}  // namespace payment
