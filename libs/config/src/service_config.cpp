#include "ticketing/config/service_config.hpp"

namespace ticketing::config {

ServiceConfig ServiceConfig::from(Env& env, std::uint16_t default_port) {
  ServiceConfig c;
  c.port = static_cast<std::uint16_t>(env.integer("PORT", default_port, 1, 65535));
  c.database_url = env.required_text("DATABASE_URL");
  c.database_admin_url = env.optional_text("DATABASE_ADMIN_URL");
  c.db_pool_size = static_cast<std::size_t>(env.integer("DB_POOL_SIZE", 16, 1, 256));
  c.io_threads = static_cast<std::size_t>(env.integer("HTTP_IO_THREADS", 2, 1, 64));
  c.worker_threads = static_cast<std::size_t>(env.integer("HTTP_WORKER_THREADS", 16, 1, 1024));
  c.log_level = env.choice("LOG_LEVEL", "info", {"debug", "info", "warn", "error"});
  c.access_log = env.boolean("ACCESS_LOG", true);
  c.admin_key = env.optional_text("ADMIN_API_KEY");
  return c;
}

}  // namespace ticketing::config
