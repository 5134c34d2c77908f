#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "raw_http.hpp"

namespace test_support {

// Shape checks of the payment service's answers (proto-docs/public.openapi.yaml): members, types
// and the spec's rules, with Catch2 REQUIRE/CHECK; each returns what it read.

// {"userId","balance"} of `user_id` answered with 200; returns the balance.
std::int64_t require_balance(const Reply& reply, const std::string& user_id);

struct HistoryEntry {
  std::string type;
  std::int64_t amount = 0;
  std::int64_t balance_after = 0;
  std::int64_t created_ms = 0;
};

// The entries of a history answered with 200; `times_ordered`: createdAt never increases down
// the list.
std::vector<HistoryEntry> require_history(const Reply& reply, bool times_ordered = true);

// A payment as the API answers it, or as its row in the payment schema reads (saga_test.cpp).
struct PaymentView {
  std::string id;
  std::int64_t reservation_id = 0;
  std::string user_id;
  std::int64_t amount = 0;
  std::string status;
  std::int64_t paid_ms = 0;  // 0 until COMPLETED
};

// A COMPLETED payment answered with `status`.
PaymentView require_payment(const Reply& reply, int status);
// A user's payments answered with 200.
std::vector<PaymentView> require_payments(const Reply& reply);

}  // namespace test_support
