#include "payment_config.hpp"

namespace payment {

namespace {
ticketing::http::ClientOptions peer(ticketing::config::Env& env, const std::string& name,
                                    const std::string& fallback,
                                    std::chrono::milliseconds timeout) {
  auto options = ticketing::http::ClientOptions::from_url(env.text(name, fallback));
  if (!options) {
    env.reject(name, "must be a URL like http://host:port");
    return ticketing::http::ClientOptions::from_url(fallback).value();  // unused: check() throws
  }
  options->request_timeout = timeout;
  return options.value();
}
}  // namespace

PaymentConfig PaymentConfig::from(ticketing::config::Env& env) {
  PaymentConfig c;
  c.service = ticketing::config::ServiceConfig::from(env, 8083);
  c.points.max_charge = env.integer("POINTS_MAX_CHARGE", 1'000'000, 1, 1'000'000'000'000);
  c.points.max_balance = env.integer("POINTS_MAX_BALANCE", 100'000'000, 1, 1'000'000'000'000'000);
  const std::chrono::milliseconds timeout(env.integer("DOWNSTREAM_TIMEOUT_MS", 3000, 50, 60'000));
  c.concert = peer(env, "CONCERT_URL", "http://127.0.0.1:8082", timeout);
  c.queue = peer(env, "QUEUE_URL", "http://127.0.0.1:8081", timeout);
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
