#pragma once

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "ticketing/log/logger.hpp"

namespace ticketing::db::test {

// A logger whose lines can be read back (to count events).
class CapturedLog {
 public:
  explicit CapturedLog(log::Level level = log::Level::info)
      : file_(std::tmpfile(), &std::fclose), logger_("db_tests", level, ::fileno(file_.get())) {}

  const log::Logger& logger() const { return logger_; }

  std::string text() const {
    std::string out;
    char buffer[4096];
    ssize_t n;
    off_t offset = 0;
    while ((n = ::pread(::fileno(file_.get()), buffer, sizeof buffer, offset)) > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
      offset += n;
    }
    return out;
  }

  std::size_t count(std::string_view event) const {
    const std::string needle = "\"event\":\"" + std::string(event) + "\"";
    const std::string all = text();
    std::size_t found = 0;
    for (auto at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1))
      ++found;
    return found;
  }

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  log::Logger logger_;
};

}  // namespace ticketing::db::test
