#include "ticketing/config/env.hpp"

#include <catch2/catch.hpp>
#include <map>

using ticketing::config::ConfigError;
using ticketing::config::Env;

namespace {
Env env_of(std::map<std::string, std::string> values) {
  return Env([values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}
}  // namespace

TEST_CASE("Env takes defaults for unset and empty variables") {
  auto env = env_of({{"EMPTY", ""}});
  CHECK(env.integer("QUEUE_CAPACITY", 100, 1, 1000) == 100);
  CHECK(env.integer("EMPTY", 7, 1, 10) == 7);
  CHECK(env.boolean("SEED_DEMO", true));
  CHECK(env.text("NAME", "x") == "x");
  CHECK_FALSE(env.optional_text("ADMIN_API_KEY"));
  CHECK_NOTHROW(env.check());
}

TEST_CASE("Env reads valid values") {
  auto env = env_of({{"N", "42"}, {"B", "false"}, {"S", "hello"}, {"L", "warn"}});
  CHECK(env.integer("N", 1, 0, 100) == 42);
  CHECK_FALSE(env.boolean("B", true));
  CHECK(env.required_text("S") == "hello");
  CHECK(env.choice("L", "info", {"debug", "info", "warn"}) == "warn");
  CHECK_NOTHROW(env.check());
}

TEST_CASE("Env refuses bad values and reports all of them at once") {
  auto env = env_of({{"N", "12abc"}, {"M", "0"}, {"B", "yes"}, {"L", "loud"}});
  env.integer("N", 1, 0, 100);
  env.integer("M", 1, 1, 100);
  env.boolean("B", true);
  env.required_text("MISSING");
  env.choice("L", "info", {"info", "warn"});
  REQUIRE(env.problems().size() == 5);
  CHECK(env.problems()[0] == "N must be an integer from 0 to 100, got '12abc'");
  CHECK(env.problems()[1] == "M must be an integer from 1 to 100, got '0'");
  CHECK(env.problems()[2] == "B must be 1, 0, true or false, got 'yes'");
  CHECK(env.problems()[3] == "MISSING is required");
  CHECK(env.problems()[4] == "L must be one of info, warn, got 'loud'");
  CHECK_THROWS_AS(env.check(), ConfigError);
}
