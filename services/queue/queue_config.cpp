#include "queue_config.hpp"

namespace queue {

QueueConfig QueueConfig::from(ticketing::config::Env& env) {
  QueueConfig c;
  c.port = static_cast<std::uint16_t>(env.integer("PORT", 8081, 1, 65535));
  c.database_url = env.required_text("DATABASE_URL");
  c.database_admin_url = env.optional_text("DATABASE_ADMIN_URL");
  c.db_pool_size = static_cast<std::size_t>(env.integer("DB_POOL_SIZE", 16, 1, 256));
  c.io_threads = static_cast<std::size_t>(env.integer("HTTP_IO_THREADS", 2, 1, 64));
  c.worker_threads = static_cast<std::size_t>(env.integer("HTTP_WORKER_THREADS", 16, 1, 1024));
  c.log_level = env.choice("LOG_LEVEL", "info", {"debug", "info", "warn", "error"});
  c.access_log = env.boolean("ACCESS_LOG", true);
  c.capacity = env.integer("QUEUE_CAPACITY", 100, 0, 1'000'000);
  c.admit_interval =
      std::chrono::milliseconds(env.integer("QUEUE_ADMIT_INTERVAL_MS", 1000, 10, 3'600'000));
  c.token_ttl = std::chrono::seconds(env.integer("QUEUE_TOKEN_TTL_SECONDS", 600, 1, 86'400));
  c.abandon_after = std::chrono::seconds(env.integer("QUEUE_ABANDON_SECONDS", 60, 1, 86'400));
  c.admin_key = env.optional_text("ADMIN_API_KEY");
  env.check();
  return c;
}

}  // namespace queue
