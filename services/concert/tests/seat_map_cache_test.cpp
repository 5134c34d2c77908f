#include <catch2/catch.hpp>

#include "adapters/cache/caching_catalog.hpp"
#include "adapters/cache/invalidating_reservations.hpp"
#include "adapters/memory/in_memory_concert_store.hpp"
#include "application/confirm_reservation.hpp"
#include "application/create_concert.hpp"
#include "application/get_seat_map.hpp"
#include "application/reserve_seat.hpp"
#include "ticketing/wait_for.hpp"

using namespace concert;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAlice = "11111111-1111-4111-8111-111111111111";

// A steady clock the test moves by hand.
struct ManualSteadyClock {
  std::chrono::steady_clock::time_point now{};
  SeatMapCache::SteadyClock fn() {
    return [this] { return now; };
  }
};

CalendarDate date_of(const char* text) { return *CalendarDate::parse(text); }

SeatMap map_of(const char* date, std::string title) {
  return {date_of(date), 1, std::move(title), {Seat{1, 100, SeatStatus::available, {}}}};
}

// One replica's view of a shared store: its own cache in front of the same data.
struct Replica {
  Replica(InMemoryConcertStore& store, ManualSteadyClock& steady, ticketing::TimePoint& now)
      : cache(250ms, SeatMapCache::kDefaultMaxDates, steady.fn()),
        catalog(store, cache),
        reservations(store, cache),
        seats(catalog, [&now] { return now; }),
        reserve(reservations, {300s, 4}, [&now] { return now; }),
        confirm(reservations, [&now] { return now; }) {}

  HoldOutcome reserve_now(const ReserveSeatCommand& command) {
    return ticketing::wait_for<HoldOutcome>(
        [&](auto done) { reserve.Execute(command, std::move(done)); });
  }

  SeatStatus seat(const CalendarDate& date, int seat_no) {
    std::optional<GetSeatMap::Result> result;
    seats.Execute(date, [&](auto done) { result.emplace(std::move(done).get()); });
    REQUIRE(result);
    REQUIRE(result->ok());
    return (*result)->seats.at(static_cast<std::size_t>(seat_no - 1)).status;
  }

  SeatMapCache cache;
  CachingCatalog catalog;
  InvalidatingReservations reservations;
  GetSeatMap seats;
  ReserveSeat reserve;
  ConfirmReservation confirm;
};

// Two replicas on one store, a concert on `date`.
struct TwoReplicas {
  TwoReplicas() {
    REQUIRE(CreateConcert(store, [this] { return now; }).Execute({"Gala", 100, {date}}).ok());
  }
  ticketing::TimePoint now = ticketing::Clock::now();
  CalendarDate date = CalendarDate::utc_day_of(now).plus_days(7);
  ManualSteadyClock steady;
  InMemoryConcertStore store;
  Replica a{store, steady, now};
  Replica b{store, steady, now};
};

// A catalog whose seat map reads finish only when the test says so.
struct DeferredCatalog final : Catalog {
  ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert&) override {
    return ticketing::fail(ConcertError::date_taken);
  }
  std::vector<DateSummary> dates_from(const CalendarDate&, TimePoint) override { return {}; }
  SeatCounts seat_counts_from(const CalendarDate&, TimePoint) override { return {}; }
  void seat_map(const CalendarDate&, SeatMapCallback done) override {
    pending.push_back(std::move(done));
  }
  void finish(const SeatMap& map) {
    for (auto& done : pending) done(ticketing::Completed<std::optional<SeatMap>>::with(map));
    pending.clear();
  }
  std::vector<SeatMapCallback> pending;
};

}  // namespace

TEST_CASE("A kept seat map is answered until its time is up") {
  ManualSteadyClock steady;
  SeatMapCache cache(250ms, 16, steady.fn());
  const auto date = date_of("2026-12-24");
  CHECK_FALSE(cache.find(date));
  cache.store(map_of("2026-12-24", "Gala"), cache.stamp(date));
  steady.now += 249ms;
  REQUIRE(cache.find(date));
  CHECK(cache.find(date)->title == "Gala");
  steady.now += 1ms;
  CHECK_FALSE(cache.find(date));
  CHECK(cache.hits() == 2);
  CHECK(cache.misses() == 2);
}

TEST_CASE("A read overtaken by a write of its date is not kept") {
  ManualSteadyClock steady;
  SeatMapCache cache(250ms, 16, steady.fn());
  const auto gala = date_of("2026-12-24");
  const auto other = date_of("2026-12-25");
  const auto gala_stamp = cache.stamp(gala);
  const auto other_stamp = cache.stamp(other);
  cache.invalidate(gala);
  cache.store(map_of("2026-12-24", "stale"), gala_stamp);
  CHECK_FALSE(cache.find(gala));
  cache.store(map_of("2026-12-25", "untouched"), other_stamp);  // another date's write
  CHECK(cache.find(other));
  cache.store(map_of("2026-12-24", "fresh"), cache.stamp(gala));
  REQUIRE(cache.find(gala));
  CHECK(cache.find(gala)->title == "fresh");
}

TEST_CASE("Invalidating every date drops all maps and refuses every earlier read") {
  ManualSteadyClock steady;
  SeatMapCache cache(250ms, 16, steady.fn());
  const auto gala = date_of("2026-12-24");
  cache.store(map_of("2026-12-24", "Gala"), cache.stamp(gala));
  const auto before = cache.stamp(date_of("2026-12-25"));
  cache.invalidate_all();
  CHECK_FALSE(cache.find(gala));
  cache.store(map_of("2026-12-25", "stale"), before);
  CHECK(cache.size() == 0);
}

TEST_CASE("The cache keeps at most its number of dates, and nothing when turned off") {
  ManualSteadyClock steady;
  SeatMapCache bounded(250ms, 2, steady.fn());
  for (const char* date : {"2026-12-24", "2026-12-25", "2026-12-26"})
    bounded.store(map_of(date, date), bounded.stamp(date_of(date)));
  CHECK(bounded.size() <= 2);
  CHECK(bounded.find(date_of("2026-12-26")));

  SeatMapCache off(0ms, 16, steady.fn());
  CHECK_FALSE(off.enabled());
  off.store(map_of("2026-12-24", "Gala"), off.stamp(date_of("2026-12-24")));
  CHECK_FALSE(off.find(date_of("2026-12-24")));
}

TEST_CASE("The caching catalog keeps what it read unless a write overtook the read") {
  ManualSteadyClock steady;
  SeatMapCache cache(250ms, 16, steady.fn());
  DeferredCatalog inner;
  CachingCatalog catalog(inner, cache);
  const auto date = date_of("2026-12-24");
  int answers = 0;
  const auto count = [&](auto found) {
    CHECK(std::move(found).get());
    ++answers;
  };

  catalog.seat_map(date, count);
  cache.invalidate(date);  // a hold committed while the read was under way
  inner.finish(map_of("2026-12-24", "stale"));
  CHECK(answers == 1);
  CHECK_FALSE(cache.find(date));

  catalog.seat_map(date, count);
  inner.finish(map_of("2026-12-24", "fresh"));
  catalog.seat_map(date, count);  // answered from memory
  CHECK(inner.pending.empty());
  CHECK(answers == 3);
}

TEST_CASE("A replica shows its own writes at once and another replica's within the cache time") {
  TwoReplicas replicas;
  auto& [now, date, steady, store, a, b] = replicas;
  CHECK(a.seat(date, 7) == SeatStatus::available);
  CHECK(b.seat(date, 7) == SeatStatus::available);  // both now keep the map

  auto held = a.reserve_now({kAlice, date, 7});
  REQUIRE(held.ok());
  CHECK(a.seat(date, 7) == SeatStatus::held);       // invalidated by its own write
  CHECK(b.seat(date, 7) == SeatStatus::available);  // still kept by the other replica
  steady.now += 250ms;
  CHECK(b.seat(date, 7) == SeatStatus::held);

  REQUIRE(a.confirm.Execute(held->id, "payment-1").ok());
  CHECK(a.seat(date, 7) == SeatStatus::sold);
}

TEST_CASE("A hold lapsing reads AVAILABLE from a kept map without any write") {
  TwoReplicas replicas;
  auto& [now, date, steady, store, a, b] = replicas;
  REQUIRE(a.reserve_now({kAlice, date, 9}).ok());
  CHECK(a.seat(date, 9) == SeatStatus::held);
  now += 301s;  // the hold lapses; the steady clock did not move, so the map is still kept
  CHECK(a.seat(date, 9) == SeatStatus::available);
  CHECK(a.cache.hits() >= 1);
}
