#include "ticketing/log/logger.hpp"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace {
std::string read_all(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}
}  // namespace

TEST_CASE("Logger writes one JSON line per event with its fields") {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  {
    ticketing::log::Logger logger("queue", ticketing::log::Level::info, pipe_fds[1]);
    logger.debug("hidden");
    logger.info("started", [](auto& w) { w.field("port", 8081); });
  }
  ::close(pipe_fds[1]);
  const std::string text = read_all(pipe_fds[0]);
  ::close(pipe_fds[0]);

  CHECK(text.find("hidden") == std::string::npos);
  CHECK(text.find(R"("level":"info","service":"queue","event":"started","port":8081})") !=
        std::string::npos);
  CHECK(text.back() == '\n');
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
}

TEST_CASE("Log levels parse from their names") {
  CHECK(ticketing::log::parse_level("warn") == ticketing::log::Level::warn);
  CHECK_FALSE(ticketing::log::parse_level("loud"));
}
