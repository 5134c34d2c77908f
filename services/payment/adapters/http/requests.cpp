#include "requests.hpp"

#include "errors.hpp"
#include "ticketing/ids.hpp"
#include "ticketing/json/reader.hpp"

namespace payment::http {

Parsed<std::int64_t> parse_charge(std::string_view body) {
  ticketing::json::ObjectReader reader(body);
  auto amount = reader.required_int("amount");
  auto error = reader.finish();
  if (reader.failed_field() == "amount")
    return ticketing::fail(problem_for(PaymentError::invalid_amount));
  if (error) return ticketing::fail(invalid_request(*error));
  return *amount;
}

Parsed<std::int64_t> parse_pay(std::string_view body) {
  ticketing::json::ObjectReader reader(body);
  auto reservation_id = reader.required_int("reservationId");
  if (auto error = reader.finish()) return ticketing::fail(invalid_request(*error));
  if (*reservation_id < 1)
    return ticketing::fail(invalid_request("'reservationId' must be a positive integer"));
  return *reservation_id;
}

Parsed<int> parse_history_limit(const Request& request) {
  auto text = request.query_param("limit");
  if (!text) return 20;
  int limit = 0;
  bool valid = !text->empty() && text->size() <= 3;
  for (char c : *text) {
    valid = valid && c >= '0' && c <= '9';
    if (valid) limit = limit * 10 + (c - '0');
  }
  if (!valid || limit < 1 || limit > 100) {
    return ticketing::fail(invalid_request("limit must be an integer from 1 to 100"));
  }
  return limit;
}

Parsed<std::string> path_user(const Request& request) {
  const auto user = request.param("userId");
  if (!ticketing::is_canonical_uuid(user))
    return ticketing::fail(problem_for(PaymentError::invalid_user_id));
  return std::string(user);
}

}  // namespace payment::http
