#include "queue_config.hpp"

#include <algorithm>

#include "domain/pacing.hpp"
#include "ticketing/http/internal_key.hpp"

namespace queue {

namespace {
// The concert service's client, when CONCERT_URL is set: every call carries the internal key;
// its timeout is within one admission interval (at most DOWNSTREAM_TIMEOUT_MS), so a slow concert
// service never stalls the pass.
std::optional<ticketing::http::ClientOptions> concert_client(
    ticketing::config::Env& env, const std::string& internal_key,
    std::chrono::milliseconds admit_interval) {
  const auto url = env.optional_text("CONCERT_URL");
  if (!url) return std::nullopt;
  auto options = ticketing::http::ClientOptions::from_url(*url);
  if (!options) {
    env.reject("CONCERT_URL", "must be a URL like http://host:port");
    return std::nullopt;
  }
  const std::chrono::milliseconds timeout(env.integer("DOWNSTREAM_TIMEOUT_MS", 3000, 50, 60'000));
  options->request_timeout = std::min(timeout, std::max(admit_interval, std::chrono::milliseconds(50)));
  options->connect_timeout = std::min(options->connect_timeout, options->request_timeout);
  options->headers.emplace_back(ticketing::http::kInternalKeyHeader, internal_key);
  return options.value();
}
}  // namespace

QueueConfig QueueConfig::from(ticketing::config::Env& env) {
  QueueConfig c;
  c.service = ticketing::config::ServiceConfig::from(env, 8081);
  c.capacity = env.integer("QUEUE_CAPACITY", 100, 0, 1'000'000);
  c.admit_interval =
      std::chrono::milliseconds(env.integer("QUEUE_ADMIT_INTERVAL_MS", 1000, 10, 3'600'000));
  c.token_ttl = std::chrono::seconds(env.integer("QUEUE_TOKEN_TTL_SECONDS", 600, 1, 86'400));
  c.abandon_after = std::chrono::seconds(env.integer("QUEUE_ABANDON_SECONDS", 60, 1, 86'400));
  c.poll_max = std::chrono::seconds(env.integer("QUEUE_POLL_MAX_SECONDS", 20, 1, 86'400));
  // pollAfterSeconds is a whole second or more and below a third of the abandon time.
  if (poll_ceiling(c.poll_max.count(), c.abandon_after.count()) < 1) {
    env.reject("QUEUE_ABANDON_SECONDS",
               "must be 4 or more, so that pollAfterSeconds (>= 1) stays below a third of it");
  }
  c.concert = concert_client(env, c.service.internal_key, c.admit_interval);
  c.die_after_draw = env.choice("QUEUE_FAULT_POINT", "none", {"none", "after_draw"}) != "none";
  env.check();
  return c;
}

std::int64_t QueueConfig::poll_ceiling_seconds() const {
  return poll_ceiling(poll_max.count(), abandon_after.count());
}

}  // namespace queue
