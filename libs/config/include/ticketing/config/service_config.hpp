#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/config/env.hpp"

namespace ticketing::config {

// What every service reads from its environment, with the same names everywhere.
struct ServiceConfig {
  std::string listen_address;  // LISTEN_ADDRESS: the IP address the server binds
  std::uint16_t port;
  std::string database_url;                       // the service's own role
  std::optional<std::string> database_admin_url;  // if set, migrations run at start
  std::size_t db_pool_size;
  std::size_t io_threads;
  std::size_t worker_threads;
  std::string log_level;
  bool access_log;
  std::optional<std::string> admin_key;  // ADMIN_API_KEY; nullopt: the admin API is disabled
  // INTERNAL_API_KEY: the credential the gateway and the services share; every request but the
  // probes and /metrics must carry it (see ticketing/http/internal_key.hpp).
  std::string internal_key;

  // Records bad values in `env` (see Env::check).
  static ServiceConfig from(Env& env, std::uint16_t default_port);
};

// Whether `key` can be the shared internal key: at least 16 characters, each a letter, a digit
// or one of . _ ~ + / = - (safe in a header, a shell and the gateway's rendered configuration).
bool is_usable_internal_key(std::string_view key);

}  // namespace ticketing::config
