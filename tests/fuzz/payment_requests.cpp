// The payment service's request parsers (services/payment/adapters/http/requests.cpp) on any
// bytes, used as a body, as a query string and as the {userId} path parameter: accepted exactly
// when valid, with the input's values, and every refusal a 400 problem.
#include <rapidjson/document.h>

#include "adapters/http/requests.hpp"
#include "check.hpp"

namespace {

using namespace payment::http;

template <class T>
void require_refusal(const Parsed<T>& parsed) {
  if (parsed) return;
  fuzz::require_problem(parsed.error());
  fuzz::require(parsed.error().status == 400, "a refused request is 400");
}

void check_bodies(std::string_view body) {
  const auto charge = parse_charge(body);
  require_refusal(charge);
  rapidjson::Document charge_document;
  const auto charge_found = fuzz::members(charge_document, body, {"amount"});
  const auto amount = charge_found ? fuzz::integer(*charge_found, "amount") : std::nullopt;
  fuzz::require(charge.ok() == amount.has_value(), "charges: accepted exactly when valid");
  if (charge) fuzz::require(charge.value() == *amount, "the amount is the body's");

  const auto pay = parse_pay(body);
  require_refusal(pay);
  rapidjson::Document pay_document;
  const auto pay_found = fuzz::members(pay_document, body, {"reservationId"});
  const auto id = pay_found ? fuzz::integer(*pay_found, "reservationId") : std::nullopt;
  fuzz::require(pay.ok() == (id && *id >= 1), "payments: accepted exactly when valid");
  if (pay) fuzz::require(pay.value() == *id, "the reservation id is the body's");
}

void check_limit(std::string_view query) {
  Request request;
  request.query = std::string(query);
  const auto limit = parse_history_limit(request);
  require_refusal(limit);
  const auto text = request.query_param("limit");
  if (!text) {
    fuzz::require(limit && limit.value() == 20, "no readable limit means 20");
    return;
  }
  bool digits = !text->empty() && text->size() <= 3;
  for (const char c : *text) digits = digits && c >= '0' && c <= '9';
  const int value = digits ? std::stoi(*text) : 0;
  fuzz::require(limit.ok() == (value >= 1 && value <= 100), "a limit is 1..100");
  if (limit) fuzz::require(limit.value() == value, "the limit is the query's");
}

void check_user(std::string_view text) {
  Request request;
  request.params.emplace_back("userId", std::string(text));
  const auto user = path_user(request);
  require_refusal(user);
  bool uuid = text.size() == 36;
  for (std::size_t i = 0; uuid && i < text.size(); ++i) {
    const char c = text[i];
    uuid = (i == 8 || i == 13 || i == 18 || i == 23)
               ? c == '-'
               : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
  fuzz::require(user.ok() == uuid, "a user id is a canonical UUID");
  if (user) fuzz::require(user.value() == text, "the user id is the path's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::text_of(data, size);
  check_bodies(text);
  check_limit(text);
  check_user(text);
  return 0;
}
