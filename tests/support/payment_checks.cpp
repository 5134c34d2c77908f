#include "payment_checks.hpp"

#include <catch2/catch.hpp>

#include "api_checks.hpp"
#include "rfc3339.hpp"

namespace test_support {
namespace {

PaymentView read_payment(const rapidjson::Value& json) {
  REQUIRE(json.IsObject());
  PaymentView view{require_string(json, "paymentId"), require_int64(json, "reservationId"),
                   require_string(json, "userId"),    require_int64(json, "amount"),
                   require_string(json, "status"),    0};
  const auto paid = rfc3339_ms(require_string(json, "paidAt"));
  CHECK(json.MemberCount() == 6);
  CHECK(is_canonical_uuid(view.id));
  CHECK(view.status == "COMPLETED");
  REQUIRE(paid.has_value());
  view.paid_ms = *paid;
  return view;
}

}  // namespace

std::int64_t require_balance(const Reply& reply, const std::string& user_id) {
  const auto json = require_json(reply, 200);
  INFO("body: " << reply.body);
  CHECK(require_string(json, "userId") == user_id);
  const auto balance = require_int64(json, "balance");
  CHECK(json.MemberCount() == 2);
  return balance;
}

std::vector<HistoryEntry> require_history(const Reply& reply, bool times_ordered) {
  const auto json = require_json(reply, 200);
  INFO("body: " << reply.body.substr(0, 600));
  std::vector<HistoryEntry> entries;
  for (const auto& item : require_array(json, "entries").GetArray()) {
    REQUIRE(item.IsObject());
    HistoryEntry entry{require_string(item, "type"), require_int64(item, "amount"),
                       require_int64(item, "balanceAfter"), 0};
    const auto created = rfc3339_ms(require_string(item, "createdAt"));
    CHECK((entry.type == "CHARGE" || entry.type == "PAYMENT" || entry.type == "REFUND"));
    CHECK(entry.amount > 0);  // the type says which way the points went
    CHECK(entry.balance_after >= 0);
    REQUIRE(created.has_value());
    entry.created_ms = *created;
    entries.push_back(entry);
  }
  if (times_ordered) {
    for (std::size_t i = 1; i < entries.size(); ++i)
      CHECK(entries[i - 1].created_ms >= entries[i].created_ms);
  }
  return entries;
}

PaymentView require_payment(const Reply& reply, int status) {
  const auto json = require_json(reply, status);
  INFO("body: " << reply.body);
  return read_payment(json);
}

std::vector<PaymentView> require_payments(const Reply& reply) {
  const auto json = require_json(reply, 200);
  INFO("body: " << reply.body.substr(0, 600));
  std::vector<PaymentView> out;
  for (const auto& item : require_array(json, "payments").GetArray()) {
    out.push_back(read_payment(item));
  }
  return out;
}

}  // namespace test_support
