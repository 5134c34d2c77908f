#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ticketing/time.hpp"

namespace concert {

// A day of the calendar, as YYYY-MM-DD. Only real dates parse: 2026-02-30 does not.
class CalendarDate {
 public:
  CalendarDate() : text_("1970-01-01"), days_(0) {}
  static std::optional<CalendarDate> parse(std::string_view text);
  // The UTC day `at` falls on.
  static CalendarDate utc_day_of(ticketing::TimePoint at);

  const std::string& text() const { return text_; }
  // Days since 1970-01-01.
  int days() const { return days_; }

  auto operator<=>(const CalendarDate& other) const { return days_ <=> other.days_; }
  bool operator==(const CalendarDate& other) const { return days_ == other.days_; }

  CalendarDate plus_days(int count) const;

 private:
  CalendarDate(std::string text, int days) : text_(std::move(text)), days_(days) {}
  static CalendarDate from_days(int days);

  std::string text_;
  int days_;
};

}  // namespace concert
