#include "queue_config.hpp"

namespace queue {

QueueConfig QueueConfig::from(ticketing::config::Env& env) {
  QueueConfig c;
  c.service = ticketing::config::ServiceConfig::from(env, 8081);
  c.capacity = env.integer("QUEUE_CAPACITY", 100, 0, 1'000'000);
  c.admit_interval =
      std::chrono::milliseconds(env.integer("QUEUE_ADMIT_INTERVAL_MS", 1000, 10, 3'600'000));
  c.token_ttl = std::chrono::seconds(env.integer("QUEUE_TOKEN_TTL_SECONDS", 600, 1, 86'400));
  c.abandon_after = std::chrono::seconds(env.integer("QUEUE_ABANDON_SECONDS", 60, 1, 86'400));
  env.check();
  return c;
}

}  // namespace queue
