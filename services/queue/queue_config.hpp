#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "ticketing/config/service_config.hpp"
#include "ticketing/http/client.hpp"

namespace queue {

// Everything the queue service reads from its environment; see deploy/README.md, "Configuration".
struct QueueConfig {
  ticketing::config::ServiceConfig service;
  std::int64_t capacity;
  std::chrono::milliseconds admit_interval;
  std::chrono::seconds token_ttl;
  std::chrono::seconds abandon_after;
  std::chrono::seconds poll_max;  // QUEUE_POLL_MAX_SECONDS
  // QUEUE_FAULT_POINT=after_draw: for crash tests only, die inside the opening's draw.
  bool die_after_draw = false;
  // CONCERT_URL, DOWNSTREAM_TIMEOUT_MS: where the line asks whether seats are left; unset, it
  // never asks and admits as if seats were left.
  std::optional<ticketing::http::ClientOptions> concert;

  // The longest pollAfterSeconds given: poll_max, and below a third of abandon_after.
  std::int64_t poll_ceiling_seconds() const;

  // Throws ticketing::config::ConfigError listing every bad value.
  static QueueConfig from(ticketing::config::Env& env);
};

}  // namespace queue
