#include "payments_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/service.hpp"
#include "views.hpp"

namespace payment::http {

using ticketing::http::json_response;

namespace {

Response paid_response(const ticketing::Result<Payment, PaymentError>& paid) {
  if (!paid) return problem_for(paid.error());
  auto response = json_response(201, payment_json(paid.value()));
  response.headers.emplace_back("Location", "/api/v1/payments/" + paid->id);
  return response;
}

}  // namespace

Response handle_list_payments(ListPayments& list, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  auto payments = list.Execute(user.value());
  if (!payments) return problem_for(payments.error());
  return json_response(200, payments_json(payments.value()));
}

Response handle_pay(PayForReservation& pay, RecallKeyedOutcome& recall, Idempotency& idempotency,
                    const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  const auto& user_id = user.value();
  // The token the visitor was admitted with: it stops working once the payment completes.
  std::optional<std::string> token;
  if (auto bearer = ticketing::http::bearer_token(request); !bearer.empty())
    token = std::string(bearer);
  const auto recalled = [&](const std::optional<Payment>& payment) {
    std::optional<Idempotency::Recalled> found;
    if (!payment) return found;
    found.emplace();
    if (auto answer = settled_answer(*payment)) found->answer = paid_response(*answer);
    return found;
  };
  if (request.header("X-Token-Ended") == "true") {
    // The gateway lets an ended token through for one thing: its own payment's answer again.
    return idempotency.replay_only(
        request, user_id, "payment",
        [&](std::string_view key) { return recalled(recall.payment(user_id, key, token)); },
        token_expired());
  }
  return idempotency.respond(
      request, user_id, "payment",
      [&](std::string_view key) {
        auto reservation_id = parse_pay(request.body);
        if (!reservation_id) return reservation_id.error();
        std::optional<std::string> idempotency_key;
        if (!key.empty()) idempotency_key.emplace(key);
        return paid_response(
            pay.Execute({user_id, reservation_id.value(), token, idempotency_key}));
      },
      [&](std::string_view key) { return recalled(recall.payment(user_id, key)); });
}

Response handle_get_payment(GetPayment& get, const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  auto payment = get.Execute(user.value(), request.param("paymentId"));
  if (!payment) return problem_for(payment.error());
  return json_response(200, payment_json(payment.value()));
}

}  // namespace payment::http
