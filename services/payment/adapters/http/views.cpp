#include "views.hpp"

#include "ticketing/json/writer.hpp"

namespace payment::http {

namespace {
void write_payment(ticketing::json::Writer& w, const Payment& payment) {
  w.begin_object()
      .field("paymentId", payment.id)
      .field("reservationId", payment.reservation_id)
      .field("userId", payment.user_id)
      .field("amount", payment.amount)
      .field("status", to_string(payment.status))
      .key("paidAt");
  if (payment.paid_at)
    w.value(ticketing::format_rfc3339(*payment.paid_at));
  else
    w.value(nullptr);
  w.end_object();
}
}  // namespace

std::string balance_json(std::string_view user_id, std::int64_t balance) {
  ticketing::json::Writer w;
  return w.begin_object().field("userId", user_id).field("balance", balance).end_object().take();
}

std::string history_json(const std::vector<LedgerEntry>& entries) {
  ticketing::json::Writer w;
  w.begin_object().key("entries").begin_array();
  for (const auto& entry : entries) {
    w.begin_object()
        .field("type", to_string(entry.type))
        .field("amount", entry.amount)
        .field("balanceAfter", entry.balance_after)
        .field("createdAt", ticketing::format_rfc3339(entry.created_at))
        .end_object();
  }
  return w.end_array().end_object().take();
}

std::string payment_json(const Payment& payment) {
  ticketing::json::Writer w;
  write_payment(w, payment);
  return w.take();
}

std::string payments_json(const std::vector<Payment>& payments) {
  ticketing::json::Writer w;
  w.begin_object().key("payments").begin_array();
  for (const auto& payment : payments) write_payment(w, payment);
  return w.end_array().end_object().take();
}

}  // namespace payment::http
