// Holds gathered into batches (migration 004's hold_seats), against a real database: a batch
// answers each hold in its place, the earlier of two holds of one seat wins, and batches that
// cross each other's users and seats never deadlock.
#include <catch2/catch.hpp>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/postgres/rows.hpp"
#include "postgres_concert.hpp"

using namespace concert;
using namespace concert::testing;

namespace {

struct Ask {
  std::string user;
  const char* date;
  int seat_no;
  std::int64_t limit = 4;
};

// One call of hold_seats, as the repository makes it: per request, in the order asked, its
// outcome text.
std::vector<std::string> hold_seats(ticketing::db::Pool& pool, const std::vector<Ask>& asks) {
  std::vector<HoldRequest> requests;
  for (const auto& ask : asks)
    requests.push_back({ask.user, day(ask.date), ask.seat_no, kStart, 300s, ask.limit});
  const sql::HoldArrays arrays(requests);
  const auto rows = pool.execute([&](pqxx::nontransaction& txn) {
    return txn.exec_prepared("hold_seats", arrays.users, arrays.dates, arrays.seat_nos, arrays.nows,
                             arrays.expiries, arrays.limits);
  });
  std::vector<std::string> outcomes(asks.size());
  for (const auto& row : rows) outcomes.at(row[0].as<std::size_t>() - 1) = row[1].as<std::string>();
  return outcomes;
}

}  // namespace

TEST_CASE("A batch answers each hold in its place, the earlier request for a seat winning",
          "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  const auto [first, second, late, limited] = std::tuple{user(), user(), user(), user()};
  // Asked out of seat order, so the answers must be put back in place.
  const auto outcomes = hold_seats(c.pool, {{first, "2026-12-24", 9},
                                            {second, "2026-12-24", 3},
                                            {late, "2026-12-24", 9},
                                            {late, "2026-12-31", 1},
                                            {limited, "2026-12-24", 31, 1},
                                            {limited, "2026-12-24", 30, 1}});
  CHECK(outcomes == std::vector<std::string>{"HELD", "HELD", "SEAT_UNAVAILABLE", "DATE_NOT_FOUND",
                                             "SEAT_LIMIT_REACHED", "HELD"});
  CHECK(c.count("SELECT count(*) FROM reservations") == 3);
  CHECK(c.count("SELECT count(*) FROM reservations WHERE seat_no = 9 AND user_id = '" + first +
                "'") == 1);
  // Within one batch a user's holds are taken by seat: seat 30 came first and used the limit.
  CHECK(c.count("SELECT seat_no FROM reservations WHERE user_id = '" + limited + "'") == 30);
}

TEST_CASE("Holds sent together: the earliest request for a seat wins, a user stops at the limit",
          "[postgres][race]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  c.warm_pool();
  // Sent from one thread without waiting, so they queue up while a batch runs and form the next.
  std::vector<std::future<ticketing::Completed<HoldOutcome>>> answers;
  auto send = [&](const std::string& who, int seat_no) {
    auto answer = std::make_shared<std::promise<ticketing::Completed<HoldOutcome>>>();
    answers.push_back(answer->get_future());
    c.reservations.hold({who, day("2026-12-24"), seat_no, kStart, 300s, 4},
                        [answer](auto done) { answer->set_value(std::move(done)); });
  };
  for (int i = 0; i < 20; ++i) send(user(), 7);
  const auto greedy = user();
  for (int seat_no = 11; seat_no <= 20; ++seat_no) send(greedy, seat_no);
  for (int seat_no = 21; seat_no <= 50; ++seat_no) send(user(), seat_no);

  std::vector<HoldOutcome> outcomes;
  for (auto& answer : answers) outcomes.push_back(answer.get().get());
  REQUIRE(outcomes[0].ok());
  CHECK(c.count("SELECT held_by FROM seats WHERE seat_no = 7") == outcomes[0]->id);
  for (int i = 1; i < 20; ++i) CHECK(outcomes[i].error() == ConcertError::seat_unavailable);
  for (int i = 20; i < 24; ++i) CHECK(outcomes[i].ok());  // the greedy user's first four
  for (int i = 24; i < 30; ++i) CHECK(outcomes[i].error() == ConcertError::seat_limit_reached);
  for (int i = 30; i < 60; ++i) CHECK(outcomes[i].ok());
  CHECK(c.count("SELECT count(*) FROM reservations") == 35);
  CHECK(c.count("SELECT count(*) FROM seats WHERE status = 'HELD'") == 35);
}

TEST_CASE("Batches crossing each other's users and seats never deadlock", "[postgres][race]") {
  PostgresConcert c;
  std::vector<CalendarDate> days;
  for (int d = 0; d < 20; ++d) days.push_back(day("2026-11-01").plus_days(d));
  c.create("Gala", 1000, days);
  c.warm_pool();
  for (const auto& round : days) {  // many rounds: one lucky interleaving proves little
    const auto date = round.text();
    // The same ten users take seats 1-10 in opposite pairings: batch A gives user i seat i + 1,
    // batch B gives user i seat 10 - i. Were each user's lock taken along with their seat, each
    // batch would hold a lock or a seat the other waits for while waiting for one of the other's.
    std::vector<std::string> users;
    for (int i = 0; i < 10; ++i) users.push_back(user());
    test_support::race(2, [&](int side) {
      std::vector<Ask> asks;
      for (int i = 0; i < 10; ++i) {
        asks.push_back({users[i], date.c_str(), side == 0 ? i + 1 : 10 - i});
      }
      hold_seats(c.pool, asks);
    });
    INFO(date);
    CHECK(c.count("SELECT count(*) FROM reservations WHERE date = '" + date + "'") == 10);
  }
  // A deadlock is broken by PostgreSQL aborting one batch, which the pool then re-runs.
  CHECK(c.pool.stats().retries == 0);
}

TEST_CASE("A malformed user id fails its own hold, not the batch it would have joined",
          "[postgres]") {
  PostgresConcert c;
  c.create("Gala", 1000, {day("2026-12-24")});
  CHECK_THROWS_AS(c.hold_now({"not-a-uuid", day("2026-12-24"), 1, kStart, 300s, 4}),
                  std::invalid_argument);
  CHECK(c.hold(user(), "2026-12-24", 1));
}
