#include "concert_config.hpp"

namespace concert {

ConcertConfig ConcertConfig::from(ticketing::config::Env& env) {
  ConcertConfig c;
  c.service = ticketing::config::ServiceConfig::from(env, 8082);
  c.hold_ttl = std::chrono::seconds(env.integer("HOLD_TTL_SECONDS", 300, 1, 86'400));
  c.max_seats_per_user = env.integer("MAX_SEATS_PER_USER", 4, 1, 50);
  c.sweep_interval =
      std::chrono::milliseconds(env.integer("HOLD_SWEEP_INTERVAL_MS", 1000, 10, 3'600'000));
  c.seat_map_cache = std::chrono::milliseconds(env.integer("SEAT_MAP_CACHE_MS", 250, 0, 60'000));
  // The service seeds nothing unless asked; the local stack asks (SEED_DEMO defaults to 1 there).
  c.seed_demo = env.boolean("SEED_DEMO", false);
  env.check();
  return c;
}

}  // namespace concert
