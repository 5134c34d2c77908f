#pragma once

#include <chrono>
#include <cstdint>

#include "ticketing/config/service_config.hpp"

namespace queue {

// Everything the queue service reads from its environment; see deploy/README.md, "Configuration".
struct QueueConfig {
  ticketing::config::ServiceConfig service;
  std::int64_t capacity;
  std::chrono::milliseconds admit_interval;
  std::chrono::seconds token_ttl;
  std::chrono::seconds abandon_after;

  // Throws ticketing::config::ConfigError listing every bad value.
  static QueueConfig from(ticketing::config::Env& env);
};

}  // namespace queue
