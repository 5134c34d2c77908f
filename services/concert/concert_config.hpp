#pragma once

#include <chrono>
#include <cstdint>

#include "ticketing/config/service_config.hpp"

namespace concert {

// Everything the concert service reads from its environment; see deploy/README.md, "Configuration".
struct ConcertConfig {
  ticketing::config::ServiceConfig service;
  std::chrono::seconds hold_ttl;
  std::int64_t max_seats_per_user;
  std::chrono::milliseconds sweep_interval;
  std::chrono::milliseconds seat_map_cache;  // 0: every seat map read asks the database
  bool seed_demo;

  // Throws ticketing::config::ConfigError listing every bad value.
  static ConcertConfig from(ticketing::config::Env& env);
};

}  // namespace concert
