#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/json/writer.hpp"

namespace ticketing::log {

enum class Level { debug, info, warn, error };

std::optional<Level> parse_level(std::string_view text);

// Writes one JSON object per line: {"time","level","service","event", ...fields}.
// Each line goes out in a single write(2), so lines from many threads never interleave.
class Logger {
 public:
  using Fields = std::function<void(json::Writer&)>;

  explicit Logger(std::string service, Level min_level = Level::info, int fd = 1);

  bool enabled(Level level) const { return level >= min_level_; }
  void write(Level level, std::string_view event, const Fields& fields = {}) const;

  void debug(std::string_view event, const Fields& fields = {}) const {
    write(Level::debug, event, fields);
  }
  void info(std::string_view event, const Fields& fields = {}) const {
    write(Level::info, event, fields);
  }
  void warn(std::string_view event, const Fields& fields = {}) const {
    write(Level::warn, event, fields);
  }
  void error(std::string_view event, const Fields& fields = {}) const {
    write(Level::error, event, fields);
  }

 private:
  std::string service_;
  Level min_level_;
  int fd_;
};

}  // namespace ticketing::log
