#include "payment_client.hpp"

namespace test_support {
namespace {

std::string user_path(const std::string& user_id) { return "/api/v1/users/" + user_id; }

}  // namespace

Reply PaymentClient::points(const std::string& user_id) const {
  return get(user_path(user_id) + "/points");
}

Reply PaymentClient::charge(const std::string& user_id, std::int64_t amount,
                            const Headers& extra) const {
  return charge_raw(user_id, R"({"amount":)" + std::to_string(amount) + "}", extra);
}

Reply PaymentClient::charge_raw(const std::string& user_id, std::string_view body,
                                const Headers& extra) const {
  return send("POST", user_path(user_id) + "/points/charge", body, extra);
}

Reply PaymentClient::history(const std::string& user_id, std::string_view query) const {
  return get(user_path(user_id) + "/points/history" + std::string(query));
}

Reply PaymentClient::payments_of(const std::string& user_id) const {
  return get(user_path(user_id) + "/payments");
}

Reply PaymentClient::pay(const Caller& caller, std::int64_t reservation_id,
                         const Headers& extra) const {
  return pay_raw(as(caller, extra), R"({"reservationId":)" + std::to_string(reservation_id) + "}");
}

Reply PaymentClient::pay_raw(const Headers& headers, std::string_view body) const {
  return send("POST", "/api/v1/payments", body, headers);
}

Reply PaymentClient::payment(const Caller& caller, std::string_view payment_id) const {
  return get("/api/v1/payments/" + std::string(payment_id), as(caller));
}

}  // namespace test_support
