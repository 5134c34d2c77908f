#include "requests.hpp"

#include <set>

#include "errors.hpp"
#include "ticketing/json/reader.hpp"

namespace concert::http {

namespace {
constexpr std::size_t kMaxTitle = 200;
constexpr std::int64_t kMaxPrice = 1'000'000'000;
constexpr std::size_t kMaxDates = 366;

bool is_visible_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}
}  // namespace

Parsed<NewConcert> parse_new_concert(std::string_view body) {
  ticketing::json::ObjectReader reader(body);
  auto title = reader.required_string("title");
  auto price = reader.required_int("price");
  auto dates = reader.required_string_array("dates");
  if (auto error = reader.finish()) {
    if (reader.failed_field() == "dates")
      return ticketing::fail(problem_for(ConcertError::invalid_date));
    return ticketing::fail(invalid_request(*error));
  }
  if (title->empty() || title->size() > kMaxTitle) {
    return ticketing::fail(invalid_request("'title' must be 1 to 200 characters"));
  }
  // A seat costs at least one point: a payment always moves points (the ledger has no zero entry).
  if (*price < 1 || *price > kMaxPrice) {
    return ticketing::fail(invalid_request("'price' must be an integer from 1 to 1000000000"));
  }
  if (dates->empty() || dates->size() > kMaxDates) {
    return ticketing::fail(invalid_request("'dates' must hold 1 to 366 dates"));
  }
  NewConcert concert{std::move(*title), *price, {}};
  std::set<int> seen;
  for (const auto& text : *dates) {
    auto date = CalendarDate::parse(text);
    if (!date) return ticketing::fail(problem_for(ConcertError::invalid_date));
    if (!seen.insert(date->days()).second) {
      return ticketing::fail(invalid_request("'dates' lists " + text + " twice"));
    }
    concert.dates.push_back(*date);
  }
  return concert;
}

Parsed<ReserveSeatCommand> parse_reserve_seat(std::string_view body, std::string user_id) {
  ticketing::json::ObjectReader reader(body);
  auto date_text = reader.required_string("date");
  auto seat_no = reader.required_int("seatNo");
  auto error = reader.finish();
  if (reader.failed_field() == "date")
    return ticketing::fail(problem_for(ConcertError::invalid_date));
  if (reader.failed_field() == "seatNo")
    return ticketing::fail(problem_for(ConcertError::invalid_seat));
  if (error) return ticketing::fail(invalid_request(*error));
  auto date = CalendarDate::parse(*date_text);
  if (!date) return ticketing::fail(problem_for(ConcertError::invalid_date));
  if (!is_valid_seat_no(*seat_no)) return ticketing::fail(problem_for(ConcertError::invalid_seat));
  return ReserveSeatCommand{std::move(user_id), *date, *seat_no};
}

Parsed<std::string> parse_confirm(std::string_view body) {
  ticketing::json::ObjectReader reader(body);
  auto payment_id = reader.required_string("paymentId");
  if (auto error = reader.finish()) return ticketing::fail(invalid_request(*error));
  return parse_payment_id(*payment_id);
}

Parsed<std::string> parse_payment_id(std::string_view text) {
  if (text.empty() || text.size() > 255 || !is_visible_ascii(text)) {
    return ticketing::fail(
        invalid_request("'paymentId' must be 1 to 255 visible ASCII characters"));
  }
  return std::string(text);
}

Parsed<CalendarDate> parse_date(std::string_view text) {
  auto date = CalendarDate::parse(text);
  if (!date) return ticketing::fail(problem_for(ConcertError::invalid_date));
  return *date;
}

Parsed<std::int64_t> parse_reservation_id(std::string_view text) {
  // At most 18 digits, checked before any arithmetic: 18 digits always fit in 64 bits.
  bool valid = !text.empty() && text.size() <= 18 && text.front() != '0';
  for (char c : text) valid = valid && c >= '0' && c <= '9';
  if (!valid) return ticketing::fail(invalid_request("reservationId must be a positive integer"));
  std::int64_t id = 0;
  for (char c : text) id = id * 10 + (c - '0');
  return id;
}

}  // namespace concert::http
