// Composition root of the queue service: reads the configuration, builds the adapters,
// injects them into the use cases, runs the admission timer and the HTTP server.
#include <cstdlib>
#include <functional>

#include "adapters/clients/http_seat_availability.hpp"
#include "adapters/http/routes.hpp"
#include "adapters/postgres/postgres_line_repository.hpp"
#include "adapters/postgres/postgres_token_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "adapters/postgres/token_end_listener.hpp"
#include "adapters/random/os_seed.hpp"
#include "application/run_admission.hpp"
#include "queue_config.hpp"
#include "queue_migrations.hpp"
#include "ticketing/config/main_guard.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/http/service.hpp"
#include "ticketing/ticker.hpp"

namespace {

int run(const queue::QueueConfig& config) {
  using namespace queue;
  const auto& service = config.service;
  const ticketing::log::Logger logger("queue", *ticketing::log::parse_level(service.log_level));
  if (service.database_admin_url) {
    ticketing::db::migrate_as_owner(*service.database_admin_url, service.database_url, "queue",
                                    queue::migrations(), logger);
  }

  ticketing::db::Pool pool({service.database_url, service.db_pool_size}, sql::prepare_all, logger);
  const auto clock = system_clock();
  // The gateway checks a token on every gated request: ACTIVE tokens are answered from memory,
  // kept true across replicas by the listener below (ended tokens are announced by pg_notify).
  ActiveTokenCache active_tokens(clock);
  // Other services ask whether a user exists (payment, for every user route); users are never
  // deleted, so those this replica minted or found are answered from memory (about 130 bytes
  // each; a visitor's calls come soon after issue).
  ticketing::RememberedStrings known_users(20'000);
  PostgresTokenRepository tokens(pool, clock, active_tokens, known_users);
  PostgresUserRepository users(pool, known_users);
  // QUEUE_FAULT_POINT=after_draw (crash tests): die with the draw made but not committed.
  std::function<void()> after_draw;
  if (config.die_after_draw) {
    after_draw = [&logger] {
      logger.warn("fault_point_reached", [](auto& w) { w.field("point", "after_draw"); });
      std::_Exit(86);
    };
  }
  PostgresLineRepository line(pool, clock, after_draw);
  line.initialise(config.capacity);

  LineView view(config.token_ttl, config.poll_ceiling_seconds());
  view.refresh(line, clock());
  // The listener also hears the line change (an opening set on any replica, the draw), so this
  // replica's answers show it at once rather than after its next admission pass.
  TokenEndListener token_ends(service.database_url, active_tokens, logger, {},
                              [&] { view.refresh(line, clock()); });
  Heartbeats heartbeats;
  IssueToken issue(tokens, view, config.token_ttl, clock);
  PollToken poll(tokens, view, heartbeats, clock);
  VerifyToken verify(tokens, clock);
  ExpireToken expire(tokens);
  LookupUser lookup(users);
  ManageLine manage(line, os_random_seed);
  std::optional<HttpSeatAvailability> seats;
  if (config.concert) seats.emplace(*config.concert, logger);
  RunAdmission admission(line, heartbeats, view, {config.token_ttl, config.abandon_after}, clock,
                         seats ? &*seats : nullptr);

  ticketing::metrics::Registry metrics;
  metrics.gauge_callback("queue_waiting_tokens", "Tokens waiting in line",
                         [&] { return static_cast<double>(view.counters().waiting); });
  metrics.gauge_callback("queue_active_tokens", "Tokens admitted and not yet expired",
                         [&] { return static_cast<double>(view.counters().active); });
  metrics.counter_callback("queue_admitted_total", "Tokens admitted, by all replicas",
                           [&] { return static_cast<double>(view.counters().admitted_total); });
  metrics.counter_callback("queue_expired_total", "Tokens expired, by all replicas",
                           [&] { return static_cast<double>(view.counters().expired_total); });
  metrics.counter_callback("queue_dropped_total", "Waiting tokens dropped as abandoned",
                           [&] { return static_cast<double>(view.counters().dropped_total); });
  metrics.counter_callback("queue_token_cache_hits_total", "Token lookups answered from memory",
                           [&] { return static_cast<double>(active_tokens.hits()); });
  metrics.counter_callback("queue_token_cache_misses_total",
                           "Token lookups read from the database (not ACTIVE, not cached, or "
                           "the cache untrusted)",
                           [&] { return static_cast<double>(active_tokens.misses()); });
  auto& pass_failures = metrics.counter("queue_admission_pass_failures_total",
                                        "Admission passes that failed (database unavailable)");

  const auto options = ticketing::http::server_options(service, "queue", metrics);
  auto router = http::make_router({issue, poll, verify, expire, lookup, manage, service.admin_key});
  ticketing::http::add_operations_routes(
      router, [&pool] { return pool.ping(); }, metrics);
  ticketing::http::Server server(options, std::move(router), logger);

  ticketing::Ticker ticker(config.admit_interval, [&] {
    try {
      const auto report = admission.Execute();
      if (report.drawn >= 0) {
        logger.info("line_opened", [&](auto& w) { w.field("earlyTokensDrawn", report.drawn); });
      }
      if (report.admitted + report.expired + report.dropped > 0) {
        logger.info("admission_pass", [&](auto& w) {
          w.field("admitted", report.admitted)
              .field("expired", report.expired)
              .field("dropped", report.dropped);
        });
      }
    } catch (const std::exception& error) {
      pass_failures.inc();
      logger.error("admission_pass_failed", [&](auto& w) { w.field("error", error.what()); });
    }
  });
  logger.info("started", [&](auto& w) {
    w.field("port", static_cast<std::int64_t>(server.port()))
        .field("capacity", config.capacity)
        .field("admitIntervalMs", static_cast<std::int64_t>(config.admit_interval.count()));
  });
  server.run();
  logger.info("stopped");
  return 0;
}

}  // namespace

int main() {
  return ticketing::config::guarded_main("queue", [] {
    ticketing::config::Env env;
    return run(queue::QueueConfig::from(env));
  });
}
