#include "ticketing/log/logger.hpp"

#include <unistd.h>

#include <cerrno>

#include "ticketing/time.hpp"

namespace ticketing::log {
namespace {

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

void write_all(int fd, const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere left to report a failing log stream
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::optional<Level> parse_level(std::string_view text) {
  if (text == "debug") return Level::debug;
  if (text == "info") return Level::info;
  if (text == "warn") return Level::warn;
  if (text == "error") return Level::error;
  return std::nullopt;
}

Logger::Logger(std::string service, Level min_level, int fd)
    : service_(std::move(service)), min_level_(min_level), fd_(fd) {}

void Logger::write(Level level, std::string_view event, const Fields& fields) const {
  if (!enabled(level)) return;
  json::Writer w;
  w.begin_object()
      .field("time", format_rfc3339(Clock::now()))
      .field("level", level_name(level))
      .field("service", service_)
      .field("event", event);
  if (fields) fields(w);
  w.end_object();
  std::string line = w.take();
  line.push_back('\n');
  write_all(fd_, line);
}

}  // namespace ticketing::log
