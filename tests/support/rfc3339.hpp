#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <regex>
#include <string>

namespace test_support {

// Milliseconds since the epoch of an RFC 3339 UTC time ("...Z" or "+00:00", any fraction), or
// nullopt when the text is not one: the one check of the times every API answers.
inline std::optional<std::int64_t> rfc3339_ms(const std::string& text) {
  static const std::regex pattern(
      R"((\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.(\d{1,9}))?([Zz]|\+00:00))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  std::tm parts{};
  parts.tm_year = std::stoi(m[1]) - 1900;
  parts.tm_mon = std::stoi(m[2]) - 1;
  parts.tm_mday = std::stoi(m[3]);
  parts.tm_hour = std::stoi(m[4]);
  parts.tm_min = std::stoi(m[5]);
  parts.tm_sec = std::stoi(m[6]);
  auto ms = static_cast<std::int64_t>(::timegm(&parts)) * 1000;
  if (m[8].matched) {
    auto fraction = m[8].str();
    fraction.resize(3, '0');
    ms += std::stoi(fraction);
  }
  return ms;
}

inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace test_support
