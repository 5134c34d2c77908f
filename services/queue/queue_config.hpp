#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "ticketing/config/env.hpp"

namespace queue {

// Everything the queue service reads from its environment; see README "Configuration".
struct QueueConfig {
  std::uint16_t port;
  std::string database_url;                      // the service's own role
  std::optional<std::string> database_admin_url;  // if set, migrations run at start
  std::size_t db_pool_size;
  std::size_t io_threads;
  std::size_t worker_threads;
  std::string log_level;
  bool access_log;
  std::int64_t capacity;
  std::chrono::milliseconds admit_interval;
  std::chrono::seconds token_ttl;
  std::chrono::seconds abandon_after;
  std::optional<std::string> admin_key;

  // Throws ticketing::config::ConfigError listing every bad value.
  static QueueConfig from(ticketing::config::Env& env);
};

}  // namespace queue
