#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ticketing/config/env.hpp"

namespace ticketing::config {

// What every service reads from its environment, with the same names everywhere.
struct ServiceConfig {
  std::uint16_t port;
  std::string database_url;                       // the service's own role
  std::optional<std::string> database_admin_url;  // if set, migrations run at start
  std::size_t db_pool_size;
  std::size_t io_threads;
  std::size_t worker_threads;
  std::string log_level;
  bool access_log;
  std::optional<std::string> admin_key;  // ADMIN_API_KEY; nullopt: the admin API is disabled

  // Records bad values in `env` (see Env::check).
  static ServiceConfig from(Env& env, std::uint16_t default_port);
};

}  // namespace ticketing::config
