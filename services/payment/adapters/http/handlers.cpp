#include "handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/service.hpp"
#include "views.hpp"

namespace payment::http {

using ticketing::http::json_response;

Response handle_balance(GetBalance& balance, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  auto found = balance.Execute(user.value());
  if (!found) return problem_for(found.error());
  return json_response(200, balance_json(user.value(), found.value()));
}

Response handle_charge(ChargePoints& charge, Idempotency& idempotency, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  return idempotency.respond(request, user.value(), "charge", [&] {
    auto amount = parse_charge(request.body);
    if (!amount) return amount.error();
    auto balance = charge.Execute(user.value(), amount.value());
    if (!balance) return problem_for(balance.error());
    return json_response(200, balance_json(user.value(), balance.value()));
  });
}

Response handle_history(GetHistory& history, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  auto limit = parse_history_limit(request);
  if (!limit) return limit.error();
  auto entries = history.Execute(user.value(), limit.value());
  if (!entries) return problem_for(entries.error());
  return json_response(200, history_json(entries.value()));
}

Response handle_list_payments(ListPayments& list, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  auto payments = list.Execute(user.value());
  if (!payments) return problem_for(payments.error());
  return json_response(200, payments_json(payments.value()));
}

Response handle_pay(PayForReservation& pay, Idempotency& idempotency, const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  return idempotency.respond(request, user.value(), "payment", [&] {
    auto reservation_id = parse_pay(request.body);
    if (!reservation_id) return reservation_id.error();
    // The token the visitor was admitted with: it stops working once the payment completes.
    std::optional<std::string> token;
    if (auto bearer = ticketing::http::bearer_token(request); !bearer.empty())
      token = std::string(bearer);
    auto paid = pay.Execute({user.value(), reservation_id.value(), token});
    if (!paid) return problem_for(paid.error());
    auto response = json_response(201, payment_json(paid.value()));
    response.headers.emplace_back("Location", "/api/v1/payments/" + paid->id);
    return response;
  });
}

Response handle_get_payment(GetPayment& get, const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  auto payment = get.Execute(user.value(), request.param("paymentId"));
  if (!payment) return problem_for(payment.error());
  return json_response(200, payment_json(payment.value()));
}

}  // namespace payment::http
