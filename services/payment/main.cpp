// Composition root of the payment service: reads the configuration, builds the adapters and the
// clients of the other services, injects them into the use cases, runs recovery and the server.
#include <algorithm>
#include <cstdlib>

#include "adapters/cache/caching_user_directory.hpp"
#include "adapters/clients/http_concert_client.hpp"
#include "adapters/clients/http_queue_client.hpp"
#include "adapters/http/routes.hpp"
#include "adapters/postgres/postgres_idempotency_store.hpp"
#include "adapters/postgres/postgres_payment_repository.hpp"
#include "adapters/postgres/postgres_points_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "application/recovery.hpp"
#include "payment_config.hpp"
#include "payment_migrations.hpp"
#include "ticketing/config/main_guard.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/http/service.hpp"
#include "ticketing/ticker.hpp"

namespace {

// Crash tests only: dies at once, as a killed process would, at the configured saga point.
payment::FaultPoint fault_point(const std::optional<std::string>& configured,
                                const ticketing::log::Logger& logger) {
  if (!configured) return payment::no_faults();
  return [point = *configured, &logger](std::string_view reached) {
    if (reached != point) return;
    logger.warn("fault_point_reached", [&](auto& w) { w.field("point", point); });
    std::_Exit(86);
  };
}

int run(const payment::PaymentConfig& config) {
  using namespace payment;
  const auto& service = config.service;
  const ticketing::log::Logger logger("payment", *ticketing::log::parse_level(service.log_level));
  if (service.database_admin_url) {
    ticketing::db::migrate_as_owner(*service.database_admin_url, service.database_url, "payment",
                                    payment::migrations(), logger);
  }

  ticketing::db::Pool pool({service.database_url, service.db_pool_size}, sql::prepare_all, logger);
  PostgresPointsRepository points(pool);
  // Commits that recovery redoes if lost (see PostgresPaymentRepository): no wait for the disk.
  // Short single statements, so half as many connections serve them.
  ticketing::db::Pool recoverable(
      {service.database_url, std::max<std::size_t>(2, service.db_pool_size / 2)},
      sql::prepare_recoverable, logger);
  PostgresPaymentRepository payments(pool, recoverable);
  PostgresIdempotencyStore keys(pool);
  const auto request_id = [] { return ticketing::http::current_request_id(); };
  HttpConcertClient concert(config.concert, request_id, &logger);
  HttpQueueClient queue(config.queue, request_id);
  CachingUserDirectory known_users(queue);

  const auto clock = system_clock();
  const auto fault = fault_point(config.fault_point, logger);
  KnownUsers users(known_users);
  GetBalance balance(users, points);
  ChargePoints charge(users, points, config.points, clock, fault);
  GetHistory history(users, points);
  ListPayments list(users, payments);
  GetPayment get(payments);
  PayForReservation pay(concert, payments, queue, clock, fault);
  RecoverPayments recover(concert, payments, queue, clock, config.recovery_grace, fault);
  RecallKeyedOutcome recall(points, payments);
  http::Idempotency idempotency(keys, clock, std::chrono::seconds(60));

  ticketing::metrics::Registry metrics;
  auto& recovered =
      metrics.counter("payment_recovered_total", "Pending payments settled by recovery",
                      {{"outcome", "completed"}});
  auto& refunded = metrics.counter(
      "payment_recovered_total", "Pending payments settled by recovery", {{"outcome", "refunded"}});
  auto& tokens_expired = metrics.counter("payment_tokens_expired_total",
                                         "Queue tokens expired after payment by recovery");
  auto& recovery_failures =
      metrics.counter("payment_recovery_failures_total", "Recovery passes that failed");

  const auto options = ticketing::http::server_options(service, "payment", metrics);
  auto router = http::make_router({balance, charge, history, list, pay, get, recall, idempotency});
  ticketing::http::add_operations_routes(
      router, [&pool] { return pool.ping(); }, metrics);
  ticketing::http::Server server(options, std::move(router), logger);

  auto last_purge = clock();
  ticketing::Ticker recovery(config.recovery_interval, [&] {
    try {
      const auto report = recover.Execute();
      recovered.inc(static_cast<std::uint64_t>(report.completed));
      refunded.inc(static_cast<std::uint64_t>(report.refunded));
      tokens_expired.inc(static_cast<std::uint64_t>(report.tokens_expired));
      if (report.completed + report.refunded + report.still_pending > 0) {
        logger.info("recovery_pass", [&](auto& w) {
          w.field("completed", report.completed)
              .field("refunded", report.refunded)
              .field("stillPending", report.still_pending);
        });
      }
      if (clock() - last_purge > std::chrono::minutes(10)) {  // keys are kept at least 24 h
        keys.purge_before(clock() - std::chrono::hours(25));
        last_purge = clock();
      }
    } catch (const std::exception& error) {
      recovery_failures.inc();
      logger.error("recovery_failed", [&](auto& w) { w.field("error", error.what()); });
    }
  });
  logger.info("started",
              [&](auto& w) { w.field("port", static_cast<std::int64_t>(server.port())); });
  server.run();
  logger.info("stopped");
  return 0;
}

}  // namespace

int main() {
  return ticketing::config::guarded_main("payment", [] {
    ticketing::config::Env env;
    return run(payment::PaymentConfig::from(env));
  });
}
