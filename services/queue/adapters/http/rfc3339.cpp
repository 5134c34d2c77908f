#include "rfc3339.hpp"

#include <ctime>

namespace queue::http {

namespace {

// `count` decimal digits at `at`, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is(std::string_view text, std::size_t at, char expected) {
  return at < text.size() && text[at] == expected;
}

}  // namespace

std::optional<ticketing::TimePoint> parse_rfc3339(std::string_view text) {
  const int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (year < 0 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
  if (!is(text, 4, '-') || !is(text, 7, '-') || !(is(text, 10, 'T') || is(text, 10, 't')) ||
      !is(text, 13, ':') || !is(text, 16, ':') || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::size_t at = 19;
  long long micros = 0;
  if (is(text, at, '.')) {
    std::size_t length = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++length) {
      if (length < 6) micros = micros * 10 + (text[at] - '0');
    }
    if (length == 0) return std::nullopt;
    for (; length < 6; ++length) micros *= 10;
  }
  long long offset_seconds = 0;
  if (is(text, at, 'Z') || is(text, at, 'z')) {
    ++at;
  } else if (is(text, at, '+') || is(text, at, '-')) {
    const int offset_hours = digits(text, at + 1, 2), offset_minutes = digits(text, at + 4, 2);
    if (offset_hours < 0 || offset_hours > 23 || !is(text, at + 3, ':') || offset_minutes < 0 ||
        offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = (text[at] == '-' ? -1 : 1) * (offset_hours * 3600LL + offset_minutes * 60LL);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;

  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  const auto seconds = timegm(&parts);
  if (parts.tm_mday != day || parts.tm_mon != month - 1) return std::nullopt;  // e.g. Feb 30
  return ticketing::TimePoint(std::chrono::duration_cast<ticketing::TimePoint::duration>(
      std::chrono::seconds(static_cast<long long>(seconds) - offset_seconds) +
      std::chrono::microseconds(micros)));
}

}  // namespace queue::http
