#include "payment_checks.hpp"

#include <catch2/catch.hpp>

#include "api_checks.hpp"
#include "rfc3339.hpp"

namespace test_support {
namespace {

PaymentView read_payment(const rapidjson::Value& json) {
  REQUIRE(json.IsObject());
  require_members(json, {"paymentId", "reservationId", "userId", "amount", "status", "paidAt"});
  CHECK(json.MemberCount() == 6);
  REQUIRE(json["paymentId"].IsString());
  REQUIRE(json["reservationId"].IsInt64());
  REQUIRE(json["userId"].IsString());
  REQUIRE(json["amount"].IsInt64());
  REQUIRE(json["status"].IsString());
  REQUIRE(json["paidAt"].IsString());
  PaymentView view{json["paymentId"].GetString(), json["reservationId"].GetInt64(),
                   json["userId"].GetString(),    json["amount"].GetInt64(),
                   json["status"].GetString(),    0};
  CHECK(is_canonical_uuid(view.id));
  CHECK(view.status == "COMPLETED");
  const auto paid = rfc3339_ms(json["paidAt"].GetString());
  REQUIRE(paid.has_value());
  view.paid_ms = *paid;
  return view;
}

}  // namespace

std::int64_t require_balance(const Reply& reply, const std::string& user_id) {
  const auto json = require_json(reply, 200);
  INFO("body: " << reply.body);
  REQUIRE(json.HasMember("userId"));
  REQUIRE(json["userId"].IsString());
  CHECK(std::string(json["userId"].GetString()) == user_id);
  REQUIRE(json.HasMember("balance"));
  REQUIRE(json["balance"].IsInt64());
  CHECK(json.MemberCount() == 2);
  return json["balance"].GetInt64();
}

std::vector<HistoryEntry> require_history(const Reply& reply, bool times_ordered) {
  const auto json = require_json(reply, 200);
  INFO("body: " << reply.body.substr(0, 600));
  REQUIRE(json.HasMember("entries"));
  REQUIRE(json["entries"].IsArray());
  std::vector<HistoryEntry> entries;
  for (const auto& item : json["entries"].GetArray()) {
    REQUIRE(item.IsObject());
    require_members(item, {"type", "amount", "balanceAfter", "createdAt"});
    REQUIRE(item["type"].IsString());
    REQUIRE(item["amount"].IsInt64());
    REQUIRE(item["balanceAfter"].IsInt64());
    REQUIRE(item["createdAt"].IsString());
    HistoryEntry entry{item["type"].GetString(), item["amount"].GetInt64(),
                       item["balanceAfter"].GetInt64(), 0};
    CHECK((entry.type == "CHARGE" || entry.type == "PAYMENT" || entry.type == "REFUND"));
    CHECK(entry.amount > 0);  // the type says which way the points went
    CHECK(entry.balance_after >= 0);
    const auto created = rfc3339_ms(item["createdAt"].GetString());
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
  REQUIRE(json.HasMember("payments"));
  REQUIRE(json["payments"].IsArray());
  std::vector<PaymentView> out;
  for (const auto& item : json["payments"].GetArray()) out.push_back(read_payment(item));
  return out;
}

}  // namespace test_support
