#pragma once

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "adapters/postgres/postgres_catalog.hpp"
#include "adapters/postgres/postgres_reservation_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "concert_migrations.hpp"
#include "support/race.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/db/testing/pool_checks.hpp"
#include "ticketing/db/testing/temp_database.hpp"
#include "ticketing/ids.hpp"
#include "ticketing/wait_for.hpp"

// The concert schema migrated into a throwaway database, and the PostgreSQL adapters over it,
// for the tests of the PostgreSQL adapter.
namespace concert::testing {

using namespace std::chrono_literals;

inline CalendarDate day(const char* text) { return *CalendarDate::parse(text); }

// A fixed moment on a whole second, so stored and computed times compare exactly.
inline const TimePoint kStart = std::chrono::sys_days(std::chrono::year(2026) / 6 / 1) + 10h;

// A migrated concert schema and the adapters over it.
struct PostgresConcert {
  explicit PostgresConcert(
      std::int64_t sweep_batch = PostgresReservationRepository::kDefaultSweepBatch)
      : role(database.unique_role("concert")),
        logger("concert-test", ticketing::log::Level::warn),
        pool((ticketing::db::migrate(database.admin_url(), {"concert", role, "pw"}, migrations(),
                                     logger),
              ticketing::db::PoolOptions{database.url_for(role, "pw"), 16, 20000ms}),
             sql::prepare_all, logger),
        catalog(pool),
        reservations(pool, sweep_batch) {}

  CreatedConcert create(const std::string& title, std::int64_t price,
                        std::vector<CalendarDate> dates) {
    auto created = catalog.create({title, price, std::move(dates)});
    if (!created) throw std::runtime_error("create failed");
    return created.value();
  }

  ticketing::Result<Reservation, ConcertError> hold(const std::string& user, const char* date,
                                                    int seat_no, TimePoint now = kStart,
                                                    std::int64_t limit = 4) {
    return hold_now({user, day(date), seat_no, now, 300s, limit});
  }

  HoldOutcome hold_now(const HoldRequest& request) {
    return ticketing::wait_for<HoldOutcome>(
        [&](auto done) { reservations.hold(request, std::move(done)); });
  }

  Reservation held(const std::string& user, const char* date, int seat_no, TimePoint now = kStart) {
    auto outcome = hold(user, date, seat_no, now);
    if (!outcome) throw std::runtime_error("hold failed");
    return outcome.value();
  }

  std::optional<SeatMap> seat_map(const CalendarDate& date) {
    std::promise<ticketing::Completed<std::optional<SeatMap>>> promise;
    catalog.seat_map(date, [&](auto found) { promise.set_value(std::move(found)); });
    return promise.get_future().get().get();
  }

  Seat seat(const char* date, int seat_no) {
    return seat_map(day(date))->seats.at(static_cast<std::size_t>(seat_no - 1));
  }

  void warm_pool() { ticketing::db::testing::open_every_connection(pool); }

  std::int64_t count(const std::string& query) {
    return ticketing::db::testing::count_of(pool, query);
  }

  ticketing::db::testing::TempDatabase database;
  std::string role;
  ticketing::log::Logger logger;
  ticketing::db::Pool pool;
  PostgresCatalog catalog;
  PostgresReservationRepository reservations;
};

inline std::string user() { return ticketing::RandomIds::uuid_v4(); }

}  // namespace concert::testing
