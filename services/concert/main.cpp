// Composition root of the concert service: reads the configuration, builds the adapters,
// injects them into the use cases, runs the hold sweeper and the HTTP server.
#include "adapters/cache/caching_catalog.hpp"
#include "adapters/cache/invalidating_reservations.hpp"
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
  PostgresCatalog stored_catalog(pool);
  PostgresReservationRepository stored_reservations(pool);
  // Seat maps are read far more often than seats change: kept briefly, dropped on every write.
  SeatMapCache seat_maps(config.seat_map_cache);
  CachingCatalog catalog(stored_catalog, seat_maps);
  InvalidatingReservations reservations(stored_reservations, seat_maps);

  const auto clock = system_clock();
  CreateConcert create(catalog, clock);
  ListDates list(catalog, clock);
  GetSeatMap seats(catalog, clock);
  http::SeatMapJsonCache seat_map_json;
  ReserveSeat reserve(reservations, {config.hold_ttl, config.max_seats_per_user}, clock);
  GetReservation get(reservations, clock);
  CancelReservation cancel(reservations, clock);
  ConfirmReservation confirm(reservations, clock);
  ReadReservation read(reservations, clock);
  FindPaymentReservation by_payment(reservations, clock);
  CountSeats count_seats(catalog, clock);

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
  metrics.counter_callback("concert_seat_map_cache_hits_total", "Seat maps answered from memory",
                           [&] { return static_cast<double>(seat_maps.hits()); });
  metrics.counter_callback("concert_seat_map_cache_misses_total",
                           "Seat maps read from the database (cache on)",
                           [&] { return static_cast<double>(seat_maps.misses()); });
  auto& lapsed = metrics.counter("concert_holds_lapsed_total", "Holds the sweeper marked EXPIRED");
  auto& sweep_failures =
      metrics.counter("concert_sweep_failures_total", "Sweeps that failed (database unavailable)");

  const auto options = ticketing::http::server_options(service, "concert", metrics);
  auto router = http::make_router(
      {create, list, seats, seat_map_json, reserve, get, cancel, confirm, read, by_payment,
       count_seats, service.admin_key});
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
        .field("maxSeatsPerUser", config.max_seats_per_user)
        .field("seatMapCacheMs", static_cast<std::int64_t>(config.seat_map_cache.count()));
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
