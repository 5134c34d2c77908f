// The settings every service shares: the listen address and the internal key.
#include "ticketing/config/service_config.hpp"

#include <catch2/catch.hpp>
#include <map>

using ticketing::config::Env;
using ticketing::config::is_usable_internal_key;
using ticketing::config::ServiceConfig;

namespace {

const std::string kKey = "k3y-0f-the-gateway_and/peers=+~.";

Env env_of(std::map<std::string, std::string> values) {
  values.emplace("DATABASE_URL", "host=/tmp dbname=x");
  return Env([values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST_CASE("a service listens on the loopback address unless told otherwise") {
  auto env = env_of({{"INTERNAL_API_KEY", kKey}});
  const auto config = ServiceConfig::from(env, 8081);
  CHECK_NOTHROW(env.check());
  CHECK(config.listen_address == "127.0.0.1");
  CHECK(config.internal_key == kKey);

  for (const char* address : {"0.0.0.0", "::", "::1", "10.1.2.3"}) {
    auto other = env_of({{"INTERNAL_API_KEY", kKey}, {"LISTEN_ADDRESS", address}});
    CHECK(ServiceConfig::from(other, 8081).listen_address == address);
    CHECK(other.problems().empty());
  }
  auto named = env_of({{"INTERNAL_API_KEY", kKey}, {"LISTEN_ADDRESS", "localhost"}});
  ServiceConfig::from(named, 8081);
  REQUIRE(named.problems().size() == 1);
  CHECK(named.problems()[0].rfind("LISTEN_ADDRESS must be an IPv4 or IPv6 address", 0) == 0);
}

TEST_CASE("a service does not start without a usable internal key, and never echoes it") {
  auto missing = env_of({});
  ServiceConfig::from(missing, 8081);
  REQUIRE(missing.problems().size() == 1);
  CHECK(missing.problems()[0].rfind("INTERNAL_API_KEY is required", 0) == 0);

  const std::string short_key = "fifteen-chars-x";
  auto too_short = env_of({{"INTERNAL_API_KEY", short_key}});
  ServiceConfig::from(too_short, 8081);
  REQUIRE(too_short.problems().size() == 1);
  CHECK(too_short.problems()[0].find("at least 16 characters") != std::string::npos);
  CHECK(too_short.problems()[0].find("got 15 characters") != std::string::npos);
  CHECK(too_short.problems()[0].find(short_key) == std::string::npos);
  CHECK_THROWS_AS(too_short.check(), ticketing::config::ConfigError);
}

TEST_CASE("an internal key is 16 or more characters a header, shell and nginx take as they are") {
  CHECK(is_usable_internal_key("0123456789abcdef"));
  CHECK(is_usable_internal_key(kKey));
  CHECK_FALSE(is_usable_internal_key("0123456789abcde"));
  CHECK_FALSE(is_usable_internal_key("0123456789 abcdef"));
  CHECK_FALSE(is_usable_internal_key("0123456789abcdef;"));
  CHECK_FALSE(is_usable_internal_key("0123456789abcdef'"));
  CHECK_FALSE(is_usable_internal_key("0123456789abcdef&"));
  CHECK_FALSE(is_usable_internal_key("0123456789abcdef\n"));
}
