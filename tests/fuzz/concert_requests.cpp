// The concert service's request parsers (services/concert/adapters/http/requests.cpp) on any
// bytes, used both as a body and as a path parameter, against references written here:
// accepted exactly when valid, with the input's values, and every refusal a 400 problem.
#include <rapidjson/document.h>

#include <set>
#include <string>

#include "adapters/http/requests.hpp"
#include "check.hpp"

namespace {

using namespace concert::http;

// Days since 1970-01-01 of a real YYYY-MM-DD date from 1970 on, else nullopt (civil calendar).
std::optional<int> days_of(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int month_days[12] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > month_days[month - 1])
    return std::nullopt;
  int days = 0;
  for (int y = 1970; y < year; ++y)
    days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
  for (int m = 1; m < month; ++m) days += month_days[m - 1];
  return days + day - 1;
}

template <class T>
void require_refusal(const Parsed<T>& parsed) {
  if (parsed) return;
  fuzz::require_problem(parsed.error());
  fuzz::require(parsed.error().status == 400, "a refused request is 400");
}

void check_path_texts(std::string_view text) {
  const auto date = parse_date(text);
  require_refusal(date);
  fuzz::require(date.ok() == days_of(text).has_value(), "a date parses exactly when real");
  if (date) {
    fuzz::require(date.value().text() == text && date.value().days() == *days_of(text),
                  "a date keeps its text and counts its days");
  }

  const auto id = parse_reservation_id(text);
  require_refusal(id);
  bool digits = !text.empty() && text.size() <= 18 && text.front() != '0';
  for (const char c : text) digits = digits && c >= '0' && c <= '9';
  fuzz::require(id.ok() == digits, "a reservation id is 1..18 digits, no leading zero");
  if (id) fuzz::require(std::to_string(id.value()) == text, "a reservation id round-trips");

  const auto payment = parse_payment_id(text);
  require_refusal(payment);
  fuzz::require(payment.ok() == (!text.empty() && text.size() <= 255 && fuzz::visible_ascii(text)),
                "a payment id is 1..255 visible ASCII");
}

void check_new_concert(std::string_view body) {
  const auto parsed = parse_new_concert(body);
  require_refusal(parsed);
  rapidjson::Document document;
  const auto found = fuzz::members(document, body, {"title", "price", "dates"});
  const auto title = found ? fuzz::utf8_text(*found, "title") : std::nullopt;
  const auto price = found ? fuzz::integer(*found, "price") : std::nullopt;
  std::vector<std::string> dates;
  bool dates_ok = found && found->contains("dates") && found->at("dates")->IsArray();
  std::set<std::string> distinct;
  if (dates_ok) {
    for (const auto& item : found->at("dates")->GetArray()) {
      dates_ok = dates_ok && item.IsString();
      if (!dates_ok) break;
      dates.emplace_back(item.GetString(), item.GetStringLength());
      dates_ok = days_of(dates.back()).has_value() && distinct.insert(dates.back()).second;
    }
  }
  const bool valid = title && !title->empty() && title->size() <= 200 && price && *price >= 1 &&
                     *price <= 1'000'000'000 && dates_ok && !dates.empty() && dates.size() <= 366;
  fuzz::require(parsed.ok() == valid, "new concerts: accepted exactly when valid");
  if (!parsed) return;
  const auto& concert = parsed.value();
  fuzz::require(concert.title == *title && concert.price == *price, "the concert is the body's");
  fuzz::require(concert.dates.size() == dates.size(), "every date is kept");
  for (std::size_t i = 0; i < dates.size(); ++i) {
    fuzz::require(concert.dates[i].text() == dates[i], "dates keep their order and text");
  }
}

void check_reserve_and_confirm(std::string_view body) {
  const auto reserve = parse_reserve_seat(body, "user");
  require_refusal(reserve);
  rapidjson::Document document;
  const auto found = fuzz::members(document, body, {"date", "seatNo"});
  const auto date = found ? fuzz::utf8_text(*found, "date") : std::nullopt;
  const auto seat = found ? fuzz::integer(*found, "seatNo") : std::nullopt;
  const bool valid = date && days_of(*date) && seat && *seat >= 1 && *seat <= 50;
  fuzz::require(reserve.ok() == valid, "reservations: accepted exactly when valid");
  if (reserve) {
    const auto& command = reserve.value();
    fuzz::require(
        command.user_id == "user" && command.date.text() == *date && command.seat_no == *seat,
        "the reservation is the body's");
  }

  const auto confirm = parse_confirm(body);
  require_refusal(confirm);
  rapidjson::Document confirm_document;
  const auto confirm_found = fuzz::members(confirm_document, body, {"paymentId"});
  const auto id = confirm_found ? fuzz::utf8_text(*confirm_found, "paymentId") : std::nullopt;
  const bool confirm_valid = id && !id->empty() && id->size() <= 255 && fuzz::visible_ascii(*id);
  fuzz::require(confirm.ok() == confirm_valid, "confirmations: accepted exactly when valid");
  if (confirm) fuzz::require(confirm.value() == *id, "the payment id is the body's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::text_of(data, size);
  check_path_texts(text);
  check_new_concert(text);
  check_reserve_and_confirm(text);
  return 0;
}
