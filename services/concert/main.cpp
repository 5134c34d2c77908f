// Composition root of the concert service: reads the configuration, builds the adapters,
// injects them into the use cases, runs the hold sweeper and the HTTP server.
#include "adapters/http/routes.hpp"
#include "adapters/postgres/postgres_catalog.hpp"
#include "adapters/postgres/postgres_reservation_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "application/seed_demo_concert.hpp"
#include "concert_config.hpp"
#include "concert_migrations.hpp"
#include "ticketing/config/main_guard.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/http/service.hpp"
#include "ticketing/ticker.hpp"

namespace {

int run(const concert::ConcertConfig& config) {
  using namespace concert;
  const auto& service = config.service;
  const ticketing::log::Logger logger("concert", *ticketing::log::parse_level(service.log_level));
  if (service.database_admin_url) {
    ticketing::db::migrate_as_owner(*service.database_admin_url, service.database_url, "concert",
                                    concert::migrations(), logger);
  }

  ticketing::db::Pool pool({service.database_url, service.db_pool_size}, sql::prepare_all, logger);
  PostgresCatalog catalog(pool);
  PostgresReservationRepository reservations(pool);

  const auto clock = system_clock();
  CreateConcert create(catalog, clock);
  ListDates list(catalog, clock);
  GetSeatMap seats(catalog, clock);
  ReserveSeat reserve(reservations, {config.hold_ttl, config.max_seats_per_user}, clock);
  GetReservation get(reservations, clock);
  CancelReservation cancel(reservations, clock);
  ConfirmReservation confirm(reservations, clock);
  ReadReservation read(reservations, clock);
  FindPaymentReservation by_payment(reservations, clock);

  if (config.seed_demo) {
    if (auto seeded = SeedDemoConcert(catalog, clock).Execute()) {
      logger.info("demo_concert_seeded", [&](auto& w) {
        w.field("concertId", seeded->concert_id).key("dates").begin_array();
        for (const auto& date : seeded->dates) w.value(date.text());
        w.end_array();
      });
    }
  }

  ticketing::metrics::Registry metrics;
  auto& lapsed = metrics.counter("concert_holds_lapsed_total", "Holds the sweeper marked EXPIRED");
  auto& sweep_failures =
      metrics.counter("concert_sweep_failures_total", "Sweeps that failed (database unavailable)");

  const auto options = ticketing::http::server_options(service, "concert", metrics);
  auto router = http::make_router(
      {create, list, seats, reserve, get, cancel, confirm, read, by_payment, service.admin_key});
  ticketing::http::add_operations_routes(
      router, [&pool] { return pool.ping(); }, metrics);
  ticketing::http::Server server(options, std::move(router), logger);

  ticketing::Ticker sweeper(config.sweep_interval, [&] {
    try {
      const auto report = reservations.sweep_lapsed(clock());
      lapsed.inc(static_cast<std::uint64_t>(report.lapsed));
    } catch (const std::exception& error) {
      sweep_failures.inc();
      logger.error("sweep_failed", [&](auto& w) { w.field("error", error.what()); });
    }
  });
  logger.info("started", [&](auto& w) {
    w.field("port", static_cast<std::int64_t>(server.port()))
        .field("holdTtlSeconds", static_cast<std::int64_t>(config.hold_ttl.count()))
        .field("maxSeatsPerUser", config.max_seats_per_user);
  });
  server.run();
  logger.info("stopped");
  return 0;
}

}  // namespace

int main() {
  return ticketing::config::guarded_main("concert", [] {
    ticketing::config::Env env;
    return run(concert::ConcertConfig::from(env));
  });
}
