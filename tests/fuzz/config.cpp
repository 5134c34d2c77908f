// libs/config's Env and the services' configuration readers on a fuzzed environment, given as
// NAME=VALUE lines:
// - reading a configuration throws ConfigError or nothing, and ConfigError exactly when a
//   variable was unusable, listing one line per problem;
// - an integer is accepted exactly when it is plain decimal text in range, with its value;
// - what a reader returns is within the documented ranges and choices;
// - an accepted peer URL round-trips through ClientOptions::from_url.
#include <map>
#include <string>

#include "check.hpp"
#include "concert/concert_config.hpp"
#include "payment/payment_config.hpp"
#include "queue/queue_config.hpp"
#include "ticketing/config/env.hpp"
#include "ticketing/config/service_config.hpp"

namespace {

using ticketing::config::ConfigError;
using ticketing::config::Env;
using Variables = std::map<std::string, std::string>;

Variables parse_lines(std::string_view text) {
  Variables variables;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const auto eq = line.find('=');
    // The environment holds C strings: a NUL byte ends the name or the value.
    if (eq == std::string_view::npos || line.substr(0, eq).find('\0') != std::string_view::npos)
      continue;
    auto value = line.substr(eq + 1);
    value = value.substr(0, value.find('\0'));
    variables.emplace(std::string(line.substr(0, eq)), std::string(value));
  }
  return variables;
}

Env env_of(const Variables& variables) {
  return Env([&variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  });
}

// Plain decimal: an optional '-', then digits, and it fits in 64 bits.
std::optional<std::int64_t> plain_decimal(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  const auto digits = text.substr(negative ? 1 : 0);
  if (digits.empty()) return std::nullopt;
  const std::uint64_t limit = (std::uint64_t{1} << 63) - (negative ? 0 : 1);
  std::uint64_t magnitude = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return static_cast<std::int64_t>(0 - magnitude);
  return static_cast<std::int64_t>(magnitude);
}

void check_integer(const Variables& variables) {
  const auto it = variables.find("N");
  auto env = env_of(variables);
  const auto value = env.integer("N", 7, -1000, 1'000'000'000'000);
  if (it == variables.end() || it->second.empty()) {
    fuzz::require(value == 7 && env.problems().empty(), "an unset integer takes its default");
    return;
  }
  const auto expected = plain_decimal(it->second);
  const bool accepted = expected && *expected >= -1000 && *expected <= 1'000'000'000'000;
  fuzz::require(env.problems().empty() == accepted, "an integer is refused exactly when not plain");
  fuzz::require(value == (accepted ? *expected : 7), "an accepted integer has its value");
}

// Runs a reader; true when it returned. ConfigError must list the Env's problems, one a line.
template <class Read>
bool reads(const Variables& variables, Read read) {
  auto env = env_of(variables);
  try {
    read(env);
    fuzz::require(env.problems().empty(), "a configuration with problems is refused");
    return true;
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    fuzz::require(!env.problems().empty(), "a refused configuration has problems");
    std::size_t lines = 0;
    for (const char c : message) lines += c == '\n' ? 1 : 0;
    fuzz::require(lines >= env.problems().size(), "every problem is on its own line");
    return false;
  }
}

void check_service(const ticketing::config::ServiceConfig& c) {
  fuzz::require(c.port >= 1, "a port is 1..65535");
  fuzz::require(c.db_pool_size >= 1 && c.db_pool_size <= 256, "a pool is 1..256");
  fuzz::require(c.io_threads >= 1 && c.io_threads <= 64, "io threads are 1..64");
  fuzz::require(c.worker_threads >= 1 && c.worker_threads <= 1024, "workers are 1..1024");
  fuzz::require(c.log_level == "debug" || c.log_level == "info" || c.log_level == "warn" ||
                    c.log_level == "error",
                "a log level is one of four");
  fuzz::require(!c.database_url.empty(), "DATABASE_URL is required");
  fuzz::require(!c.admin_key || !c.admin_key->empty(), "an admin key is never empty");
  fuzz::require(ticketing::config::is_usable_internal_key(c.internal_key),
                "an accepted internal key is 16+ safe characters");
  fuzz::require(!c.listen_address.empty(), "a listen address is set");
}

void check_peer(const ticketing::http::ClientOptions& peer) {
  fuzz::require(!peer.host.empty() && peer.port >= 1, "a peer has a host and a port");
  for (const char c : peer.host) {
    const auto byte = static_cast<unsigned char>(c);
    fuzz::require(byte > 0x20 && byte != 0x7f, "a peer host has no space or control character");
  }
  const auto again = ticketing::http::ClientOptions::from_url("http://" + peer.host + ":" +
                                                              std::to_string(peer.port));
  fuzz::require(again && again->host == peer.host && again->port == peer.port,
                "an accepted peer URL round-trips");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto variables = parse_lines(fuzz::text_of(data, size));
  check_integer(variables);

  reads(variables, [](Env& env) {
    const auto c = ticketing::config::ServiceConfig::from(env, 8080);
    env.check();
    check_service(c);
  });
  reads(variables, [](Env& env) {
    const auto c = queue::QueueConfig::from(env);
    check_service(c.service);
    fuzz::require(c.capacity >= 0 && c.capacity <= 1'000'000, "a queue capacity is in range");
  });
  reads(variables, [](Env& env) {
    const auto c = concert::ConcertConfig::from(env);
    check_service(c.service);
    fuzz::require(c.max_seats_per_user >= 1 && c.max_seats_per_user <= 50, "seats per user");
  });
  reads(variables, [](Env& env) {
    const auto c = payment::PaymentConfig::from(env);
    check_service(c.service);
    check_peer(c.concert);
    check_peer(c.queue);
    fuzz::require(!c.fault_point || *c.fault_point != "none", "no fault point is nullopt");
  });
  return 0;
}
