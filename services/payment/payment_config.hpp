#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/points.hpp"
#include "ticketing/config/service_config.hpp"
#include "ticketing/http/client.hpp"

namespace payment {

// Everything the payment service reads from its environment; see deploy/README.md, "Configuration".
struct PaymentConfig {
  ticketing::config::ServiceConfig service;
  PointsPolicy points;
  ticketing::http::ClientOptions concert;  // CONCERT_URL
  ticketing::http::ClientOptions queue;    // QUEUE_URL
  std::chrono::milliseconds recovery_interval;
  std::chrono::seconds recovery_grace;
  // PAYMENT_FAULT_POINT: for crash tests only, the saga point at which the process dies.
  std::optional<std::string> fault_point;

  // Throws ticketing::config::ConfigError listing every bad value.
  static PaymentConfig from(ticketing::config::Env& env);
};

}  // namespace payment
