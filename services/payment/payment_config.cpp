#include "payment_config.hpp"

#include "ticketing/http/internal_key.hpp"

namespace payment {

namespace {
// A peer's client options; every call carries the internal key the peers check.
ticketing::http::ClientOptions peer(ticketing::config::Env& env, const std::string& name,
                                    const std::string& fallback, std::chrono::milliseconds timeout,
                                    const std::string& internal_key) {
  auto options = ticketing::http::ClientOptions::from_url(env.text(name, fallback));
  if (!options) {
    env.reject(name, "must be a URL like http://host:port");
    return ticketing::http::ClientOptions::from_url(fallback).value();  // unused: check() throws
  }
  options->request_timeout = timeout;
  options->headers.emplace_back(ticketing::http::kInternalKeyHeader, internal_key);
  return options.value();
}
}  // namespace

PaymentConfig PaymentConfig::from(ticketing::config::Env& env) {
  PaymentConfig c;
  c.service = ticketing::config::ServiceConfig::from(env, 8083);
  c.points.max_charge = env.integer("POINTS_MAX_CHARGE", 1'000'000, 1, 1'000'000'000'000);
  c.points.max_balance = env.integer("POINTS_MAX_BALANCE", 100'000'000, 1, 1'000'000'000'000'000);
  const std::chrono::milliseconds timeout(env.integer("DOWNSTREAM_TIMEOUT_MS", 3000, 50, 60'000));
  const auto& key = c.service.internal_key;
  c.concert = peer(env, "CONCERT_URL", "http://127.0.0.1:8082", timeout, key);
  c.queue = peer(env, "QUEUE_URL", "http://127.0.0.1:8081", timeout, key);
  c.recovery_interval =
      std::chrono::milliseconds(env.integer("RECOVERY_INTERVAL_MS", 1000, 10, 3'600'000));
  c.recovery_grace = std::chrono::seconds(env.integer("RECOVERY_GRACE_SECONDS", 10, 1, 3600));
  const auto fault = env.choice("PAYMENT_FAULT_POINT", "none",
                                {"none", "after_debit", "after_confirm", "after_token_expiry",
                                 "after_charge"});
  if (fault != "none") c.fault_point = fault;
  env.check();
  return c;
}

}  // namespace payment
