#include "calendar_date.hpp"

#include <chrono>
#include <cstdio>

namespace concert {

namespace {
bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
int number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}
}  // namespace

std::optional<CalendarDate> CalendarDate::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year_text = text.substr(0, 4), month_text = text.substr(5, 2),
             day_text = text.substr(8, 2);
  if (!all_digits(year_text) || !all_digits(month_text) || !all_digits(day_text))
    return std::nullopt;
  const std::chrono::year_month_day ymd{
      std::chrono::year(number(year_text)),
      std::chrono::month(static_cast<unsigned>(number(month_text))),
      std::chrono::day(static_cast<unsigned>(number(day_text)))};
  if (!ymd.ok() || number(year_text) < 1970) return std::nullopt;
  return CalendarDate(std::string(text), std::chrono::sys_days(ymd).time_since_epoch().count());
}

CalendarDate CalendarDate::from_days(int days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return CalendarDate(buffer, days);
}

CalendarDate CalendarDate::utc_day_of(ticketing::TimePoint at) {
  return from_days(
      static_cast<int>(std::chrono::floor<std::chrono::days>(at).time_since_epoch().count()));
}

CalendarDate CalendarDate::plus_days(int count) const { return from_days(days_ + count); }

}  // namespace concert
