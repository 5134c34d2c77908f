#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace ticketing {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// RFC 3339 UTC with milliseconds, e.g. 2026-11-24T05:18:00.123Z.
inline std::string format_rfc3339(TimePoint at) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  const auto seconds =
      static_cast<std::time_t>(std::chrono::floor<std::chrono::seconds>(since_epoch).count());
  const auto millis =
      static_cast<int>(since_epoch.count() - static_cast<long long>(seconds) * 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis);
  return buffer;
}

}  // namespace ticketing
