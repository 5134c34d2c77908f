#include "points_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/service.hpp"
#include "views.hpp"

namespace payment::http {

using ticketing::http::json_response;

namespace {

Response charged_response(std::string_view user_id,
                          const ticketing::Result<std::int64_t, PaymentError>& balance) {
  if (!balance) return problem_for(balance.error());
  return json_response(200, balance_json(user_id, balance.value()));
}

}  // namespace

Response handle_balance(GetBalance& balance, const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  auto found = balance.Execute(user.value());
  if (!found) return problem_for(found.error());
  return json_response(200, balance_json(user.value(), found.value()));
}

Response handle_charge(ChargePoints& charge, RecallKeyedOutcome& recall, Idempotency& idempotency,
                       const Request& request) {
  auto user = path_user(request);
  if (!user) return user.error();
  const auto& user_id = user.value();
  return idempotency.respond(
      request, user_id, "charge",
      [&](std::string_view key) {
        auto amount = parse_charge(request.body);
        if (!amount) return amount.error();
        return charged_response(user_id, charge.Execute(user_id, amount.value(), key));
      },
      [&](std::string_view key) -> std::optional<Idempotency::Recalled> {
        auto balance = recall.charge(user_id, key);
        if (!balance) return std::nullopt;
        return Idempotency::Recalled{charged_response(user_id, *balance)};
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

}  // namespace payment::http
