// The concert service's HTTP contract (product spec: concerts, dates, seats, reservations, admin
// concerts and the error rules, plus the internal API the payment service calls), exercised over
// real HTTP against a real process on a throwaway database. Requests go through the concert's
// typed client (support/concert_client.hpp), one raw HTTP/1.1 exchange each, so that response
// headers (Location, Allow, WWW-Authenticate) can be asserted and arbitrary bytes sent. The
// gateway verifies queue tokens and passes the user in X-User-Id.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/api_checks.hpp"
#include "support/concert_checks.hpp"
#include "support/concert_client.hpp"
#include "support/dates.hpp"
#include "support/hostile_bodies.hpp"
#include "support/json.hpp"
#include "support/race.hpp"
#include "support/raw_http.hpp"
#include "support/rfc3339.hpp"
#include "support/service_on_database.hpp"
#include "ticketing/ids.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::now_ms;
using test_support::rfc3339_ms;

using test_support::is_json_content_type;
using test_support::is_problem_content_type;
using test_support::problem_code;
using test_support::repeat;
using test_support::require_bearer_challenge;
using test_support::require_json;
using test_support::require_problem;

using test_support::concert_body;
using test_support::DateEntry;
using test_support::find_date;
using test_support::kSeatsPerDate;
using test_support::require_dates;
using test_support::require_reservation;
using test_support::require_seat_map;
using test_support::ReservationView;
using test_support::reserve_body;
using test_support::SeatMap;

using test_support::exchange;
using test_support::exchange_raw;
using test_support::Headers;
using test_support::lowercase;
using test_support::Reply;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kAdminKey = "test-admin-key";
constexpr std::size_t kBodyLimit = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Users, dates, times

// A fresh random user id (version 4, canonical lowercase), as the gateway would pass it.
std::string new_user() { return ticketing::RandomIds::uuid_v4(); }

// A date no test has used yet (each service has its own database; dates are never reused).
std::string fresh_date() {
  static std::atomic<int> next{10};
  return test_support::date_in_days(next++);
}

// ---------------------------------------------------------------------------------------------
// The API of one service process

// The concert client of one process, plus the steps that fail the test unless they succeed.
struct Api : test_support::ConcertClient {
  explicit Api(std::uint16_t port_in)
      : ConcertClient(test_support::direct_to(port_in)), port(port_in) {}

  // Creates a concert on `dates` and fails the test unless it is 201.
  std::int64_t concert_on(const std::vector<std::string>& dates, std::int64_t price = 55000) const {
    const auto json = require_json(create_concert("Winter Gala", price, dates), 201);
    return json["concertId"].GetInt64();
  }
  SeatMap seat_map(const std::string& date) const {
    return require_seat_map(list_seats(new_user(), date), date);
  }
  // Holds a seat and fails the test unless it is 201.
  ReservationView hold(const std::string& user, const std::string& date, int seat_no) const {
    return require_reservation(reserve(user, date, seat_no), 201);
  }

  std::uint16_t port;  // for requests of raw bytes
};

test_support::Environment settings(std::string hold_ttl_seconds,
                                   test_support::Environment extra = {}) {
  test_support::Environment environment = {{"HOLD_TTL_SECONDS", std::move(hold_ttl_seconds)},
                                           {"MAX_SEATS_PER_USER", "2"},
                                           {"SEED_DEMO", "0"}};
  for (auto& setting : extra) environment.push_back(std::move(setting));
  return environment;
}

// The service most tests share: holds last long enough (300 s) that no assertion races the clock.
test_support::ConcertService& stable_service() {
  static test_support::ConcertService service(settings("300"));
  return service;
}

// Holds lapse after 2 s; the sweeper is slowed to 10 minutes, so whatever reads a lapsed hold as
// ended does so by itself, not because the sweeper got there first.
test_support::ConcertService& lapsing_service() {
  static test_support::ConcertService service(
      settings("2", {{"HOLD_SWEEP_INTERVAL_MS", "600000"}}));
  return service;
}

Api api_of(const test_support::ConcertService& service) { return Api{service.process->port()}; }

// The availableSeats of a listed date; fails the test when the date is not listed.
std::int64_t available_on(const Api& api, const std::string& user, const std::string& date) {
  const auto entry = find_date(require_dates(api.list_dates(user)), date);
  INFO("date " << date);
  REQUIRE(entry.has_value());
  return entry->available;
}

// Polls until `done` holds or `limit` passes; answers whether it held.
template <class Done>
bool poll_until(std::chrono::milliseconds limit, Done done) {
  const auto deadline = SteadyClock::now() + limit;
  while (!done()) {
    if (SteadyClock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// POST /api/v1/admin/concerts

TEST_CASE("Admin creates a concert: 201 with its dates ascending, 50 seats per date at its price",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto first = fresh_date(), second = fresh_date(), third = fresh_date();  // ascending
  const auto reply = api.create_concert("Autumn Strings", 77000, {third, first, second});
  const auto json = require_json(reply, 201);
  REQUIRE(json.HasMember("concertId"));
  REQUIRE(json["concertId"].IsInt64());
  CHECK(json["concertId"].GetInt64() >= 1);
  REQUIRE(json.HasMember("title"));
  CHECK(std::string(json["title"].GetString()) == "Autumn Strings");
  REQUIRE(json.HasMember("price"));
  REQUIRE(json["price"].IsInt64());
  CHECK(json["price"].GetInt64() == 77000);
  REQUIRE(json.HasMember("dates"));
  REQUIRE(json["dates"].IsArray());
  std::vector<std::string> dates;
  for (const auto& d : json["dates"].GetArray()) dates.emplace_back(d.GetString());
  const std::vector<std::string> expected = {first, second, third};
  CHECK(dates == expected);

  for (const auto& date : expected) {
    INFO("date " << date);
    const auto map = api.seat_map(date);
    CHECK(map.concert_id == json["concertId"].GetInt64());
    CHECK(map.title == "Autumn Strings");
    for (int seat = 1; seat <= kSeatsPerDate; ++seat) {
      CHECK(map.status.at(seat) == "AVAILABLE");
      CHECK(map.price.at(seat) == 77000);
    }
  }

  // A date of today is bookable too, and a second concert gets another id.
  const auto today = test_support::date_in_days(0);
  const auto matinee = require_json(api.create_concert("Free Matinee", 1, {today}), 201);
  CHECK(matinee["concertId"].GetInt64() != json["concertId"].GetInt64());
  CHECK(matinee["price"].GetInt64() == 1);
  const auto listed = find_date(require_dates(api.list_dates(new_user())), today);
  REQUIRE(listed.has_value());
  CHECK(listed->title == "Free Matinee");
  CHECK(listed->available == kSeatsPerDate);
}

TEST_CASE("Admin API without the right X-Admin-Key is 401 ADMIN_KEY_INVALID and creates nothing",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  const auto body = concert_body("Sneaky", 1000, {date});
  require_problem(api.create_concert_raw(body, {}), 401, "ADMIN_KEY_INVALID");
  for (const std::string& key : std::vector<std::string>{"wrong", "TEST-ADMIN-KEY", "test-admin-ke",
                                                         "test-admin-keyx", ""}) {
    INFO("X-Admin-Key '" << key << "'");
    require_problem(api.create_concert_raw(body, {{"X-Admin-Key", key}}), 401, "ADMIN_KEY_INVALID");
  }
  require_problem(
      api.create_concert_raw(body, {{"Authorization", std::string("Bearer ") + kAdminKey}}), 401,
      "ADMIN_KEY_INVALID");
  // The key is checked before the body is read.
  require_problem(api.create_concert_raw("{", {{"X-Admin-Key", "wrong"}}), 401,
                  "ADMIN_KEY_INVALID");
  require_problem(api.list_seats(new_user(), date), 404, "DATE_NOT_FOUND");
  // ...and the date is still free.
  api.concert_on({date});
}

TEST_CASE("A taken date is 409 DATE_TAKEN and nothing of the request is kept", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto taken = fresh_date(), before = fresh_date(), after = fresh_date();
  const auto first = api.concert_on({taken}, 10000);

  require_problem(api.create_concert("Rival", 20000, {taken}), 409, "DATE_TAKEN");
  require_problem(api.create_concert("Rival", 20000, {before, taken, after}), 409, "DATE_TAKEN");
  require_problem(api.create_concert("Rival", 20000, {after, before, taken}), 409, "DATE_TAKEN");

  for (const auto& date : {before, after}) {
    INFO("date " << date);
    require_problem(api.list_seats(new_user(), date), 404, "DATE_NOT_FOUND");
    require_problem(api.reserve(new_user(), date, 1), 404, "DATE_NOT_FOUND");
    CHECK_FALSE(find_date(require_dates(api.list_dates(new_user())), date).has_value());
  }
  // The taken date still belongs to the first concert, unchanged.
  const auto map = api.seat_map(taken);
  CHECK(map.concert_id == first);
  CHECK(map.price.at(1) == 10000);
  // The other dates are free for a later request.
  const auto again = require_json(api.create_concert("Rival", 20000, {before, after}), 201);
  CHECK(again["dates"].Size() == 2);
}

TEST_CASE("Admin concert dates that are malformed or past are 400 INVALID_DATE", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto good = fresh_date();
  const std::string yesterday = test_support::date_in_days(-1);
  for (const std::string& dates :
       std::vector<std::string>{R"(["2026-02-30"])",
                                R"(["2099-02-30"])",
                                R"(["2026/12/24"])",
                                R"(["2099/12/24"])",
                                "[20261224]",
                                R"(["2099-13-01"])",
                                R"(["2099-00-10"])",
                                R"(["2099-12-32"])",
                                R"(["2099-1-05"])",
                                R"(["99-12-24"])",
                                R"(["2099-12-24T00:00:00Z"])",
                                R"([" 2099-12-24"])",
                                R"(["2099-12-2x"])",
                                R"([""])",
                                "[null]",
                                R"(["1969-12-31"])",
                                R"(["2100-02-29"])",
                                "[\"" + yesterday + "\"]",
                                "[\"" + good + "\",\"" + yesterday + "\"]",
                                "[\"" + good + "\",\"2099-02-30\"]",
                                "[\"" + good + "\",true]"}) {
    INFO("dates " << dates);
    require_problem(
        api.create_concert_raw(R"({"title":"Bad Dates","price":1000,"dates":)" + dates + "}"), 400,
        "INVALID_DATE");
  }
  // None of those kept the good date.
  require_problem(api.list_seats(new_user(), good), 404, "DATE_NOT_FOUND");
  // A leap day is a real date.
  api.concert_on({"2028-02-29"});
}

TEST_CASE("Admin concert bodies of the wrong shape are 400 INVALID_REQUEST", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  const std::string dates = "[\"" + date + "\"]";
  const std::vector<std::string> bodies = {
      R"({"price":1000,"dates":)" + dates + "}",  // missing title
      R"({"title":null,"price":1000,"dates":)" + dates + "}",
      R"({"title":"","price":1000,"dates":)" + dates + "}",
      R"({"title":5,"price":1000,"dates":)" + dates + "}",
      R"({"title":")" + std::string(201, 't') + R"(","price":1000,"dates":)" + dates + "}",
      R"({"title":"T","dates":)" + dates + "}",  // missing price
      R"({"title":"T","price":"5","dates":)" + dates + "}",
      R"({"title":"T","price":-1,"dates":)" + dates + "}",
      R"({"title":"T","price":0,"dates":)" + dates + "}",  // a seat costs at least one point
      R"({"title":"T","price":1.5,"dates":)" + dates + "}",
      R"({"title":"T","price":5.0,"dates":)" + dates + "}",
      R"({"title":"T","price":1e3,"dates":)" + dates + "}",
      R"({"title":"T","price":true,"dates":)" + dates + "}",
      R"({"title":"T","price":9223372036854775808,"dates":)" + dates + "}",
      R"({"title":"T","price":1000000001,"dates":)" + dates + "}",
      R"({"title":"T","price":1000,"dates":[]})",                                     // empty dates
      R"({"title":"T","price":1000,"dates":[")" + date + R"(",")" + date + R"("]})",  // duplicate
      R"({"title":"T","price":1000,"dates":)" + dates + R"(,"venue":"Hall"})",  // unknown field
      R"({"title":"T","price":1000,"dates":)" + dates + R"(,"title":"T"})",     // repeated field
      "{",
      R"({"title":"T","price":1000,"dates":)" + dates,  // malformed JSON
      R"({"title":"T","price":1000,"dates":)" + dates + "} x",
      R"({"title":"T","price":1000,"dates":)" + dates + ",}",
      "",
      "[]",
      "null",
      "42",
      R"("concert")",
      "{'title':'T'}",
  };
  for (const auto& body : bodies) {
    INFO("body: " << body.substr(0, 200));
    require_problem(api.create_concert_raw(body), 400, "INVALID_REQUEST");
  }
  require_problem(api.list_seats(new_user(), date), 404, "DATE_NOT_FOUND");

  // The bounds that are allowed.
  const auto edge = require_json(
      api.create_concert_raw(concert_body(std::string(200, 't'), 1'000'000'000, {date})), 201);
  CHECK(edge["title"].GetStringLength() == 200);
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/concerts/dates

TEST_CASE("Dates list: ascending, from today on, counts available seats, drops sold-out dates",
          "[concert-api]") {
  auto& service = stable_service();
  const auto api = api_of(service);
  const auto full = fresh_date(), open = fresh_date();
  api.concert_on({open, full}, 42000);

  // A date that has already passed (only the database can hold one) is never listed.
  const auto past = test_support::date_in_days(-3);
  {
    pqxx::connection connection(service.database.admin_url());
    pqxx::work txn(connection);
    const auto id =
        txn.exec1(
               "INSERT INTO concert.concerts (title, price) VALUES ('Bygone', 100) RETURNING id")[0]
            .as<std::int64_t>();
    txn.exec0("INSERT INTO concert.dates (date, concert_id) VALUES ('" + past + "', " +
              std::to_string(id) + ")");
    txn.exec0("INSERT INTO concert.seats (date, seat_no, price) SELECT '" + past +
              "', s, 100 FROM generate_series(1, 50) AS s");
    txn.commit();
  }
  CHECK(api.seat_map(past).status.at(1) == "AVAILABLE");  // it exists...

  auto listed = require_dates(api.list_dates(new_user()));  // ...but is not listed
  CHECK_FALSE(find_date(listed, past).has_value());
  for (const auto& date : {full, open}) {
    INFO("date " << date);
    const auto entry = find_date(listed, date);
    REQUIRE(entry.has_value());
    CHECK(entry->available == kSeatsPerDate);
    CHECK(entry->title == "Winter Gala");
  }

  // Holding a seat takes it off the count.
  const auto holder = new_user();
  api.hold(holder, open, 17);
  CHECK(available_on(api, holder, open) == kSeatsPerDate - 1);

  // All 50 seats of a date held (25 users, 2 seats each): the date is no longer listed.
  std::vector<std::pair<std::string, std::int64_t>> holds;
  for (int seat = 1; seat <= kSeatsPerDate; seat += 2) {
    const auto user = new_user();
    holds.emplace_back(user, api.hold(user, full, seat).id);
    holds.emplace_back(user, api.hold(user, full, seat + 1).id);
    if (seat == 47) CHECK(available_on(api, user, full) == 2);
  }
  listed = require_dates(api.list_dates(new_user()));
  CHECK_FALSE(find_date(listed, full).has_value());
  CHECK(find_date(listed, open).has_value());
  for (const auto& [seat, status] : api.seat_map(full).status) CHECK(status == "HELD");

  // One seat released: the date is back with one seat.
  REQUIRE(api.cancel(holds[10].first, holds[10].second).status == 204);
  const auto back = find_date(require_dates(api.list_dates(new_user())), full);
  REQUIRE(back.has_value());
  CHECK(back->available == 1);
}

TEST_CASE("Queue-gated routes without a valid X-User-Id are 401 TOKEN_INVALID", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto owner = new_user();
  const auto held = api.hold(owner, date, 1);
  const auto id = std::to_string(held.id);

  const auto upper = test_support::uppercase(owner);
  const std::vector<std::optional<std::string>> users = {
      std::nullopt,
      std::string(""),
      std::string("abc"),
      upper,
      owner.substr(0, 35),
      owner + "0",
      "{" + owner + "}",
      std::string("3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b"),
      std::string("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6g")};
  for (const auto& user : users) {
    INFO("X-User-Id " << (user ? "'" + *user + "'" : std::string("absent")));
    const Headers headers = user ? Headers{{"X-User-Id", *user}} : Headers{};
    require_bearer_challenge(api.get("/api/v1/concerts/dates", headers), "TOKEN_INVALID");
    require_bearer_challenge(api.get("/api/v1/concerts/dates/" + date + "/seats", headers),
                             "TOKEN_INVALID");
    require_bearer_challenge(
        api.send("POST", "/api/v1/reservations", reserve_body(date, 2), headers), "TOKEN_INVALID");
    require_bearer_challenge(api.get("/api/v1/reservations/" + id, headers), "TOKEN_INVALID");
    require_bearer_challenge(api.send("DELETE", "/api/v1/reservations/" + id, {}, headers),
                             "TOKEN_INVALID");
  }
  // Nothing happened: seat 2 is free, the hold stands.
  const auto map = api.seat_map(date);
  CHECK(map.status.at(1) == "HELD");
  CHECK(map.status.at(2) == "AVAILABLE");
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "HELD");
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/concerts/dates/{date}/seats

TEST_CASE(
    "Seat map: unknown date 404 DATE_NOT_FOUND, malformed date 400 INVALID_DATE, held seats HELD",
    "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto user = new_user();
  require_problem(api.list_seats(user, fresh_date()), 404, "DATE_NOT_FOUND");
  require_problem(api.list_seats(user, "2099-01-01"), 404, "DATE_NOT_FOUND");
  for (const std::string& bad : std::vector<std::string>{
           "2026-02-30", "2026%2F12%2F24", "20261224", "2099-12-1", "2099-12-011", "yesterday",
           "2099-13-01", "%20099-12-01", "2099-12-01%00", "1969-12-31"}) {
    INFO("date '" << bad << "'");
    require_problem(api.list_seats(user, bad), 400, "INVALID_DATE");
  }
  const auto date = fresh_date();
  api.concert_on({date}, 31000);
  api.hold(user, date, 50);
  const auto map = api.seat_map(date);
  for (int seat = 1; seat <= kSeatsPerDate; ++seat) {
    INFO("seat " << seat);
    CHECK(map.status.at(seat) == (seat == 50 ? "HELD" : "AVAILABLE"));
    CHECK(map.price.at(seat) == 31000);
  }
}

TEST_CASE(
    "A lapsed hold reads AVAILABLE at once, another user can take the seat, and it reads EXPIRED",
    "[concert-api]") {
  auto& service = lapsing_service();
  const auto api = api_of(service);
  const auto date = fresh_date();
  api.concert_on({date}, 9000);
  const auto first = new_user(), second = new_user();

  // Seat 1: lapses and is taken by another user. Seat 2: confirmed too late. Seat 3: cancelled
  // after it lapsed. Seat 4: left alone.
  const auto before = now_ms();
  const auto lapsing = api.hold(first, date, 1);
  const auto late = api.hold(first, date, 2);
  const auto expires = rfc3339_ms(lapsing.expires_at);
  REQUIRE(expires.has_value());
  CHECK(*expires >= before + 2000 - 1000);
  CHECK(*expires <= now_ms() + 2000 + 1000);
  const auto other_user = new_user();
  const auto cancelled_late = api.hold(other_user, date, 3);
  const auto untouched = api.hold(other_user, date, 4);
  CHECK(api.seat_map(date).status.at(1) == "HELD");

  // Bounded polling: the seat must read AVAILABLE as soon as its hold expires (the sweeper is
  // slowed to 10 minutes here, so nothing else frees it).
  std::int64_t available_at = 0;
  const bool freed = poll_until(5000ms, [&] {
    const auto map = api.seat_map(date);
    if (available_at == 0 && map.status.at(1) == "AVAILABLE") available_at = now_ms();
    for (int seat : {1, 2, 3, 4}) {
      if (map.status.at(seat) != "AVAILABLE") return false;
    }
    return true;
  });
  REQUIRE(freed);
  CHECK(available_at >= *expires - 100);  // not before its time (allowing for clock rounding)
  CHECK(available_at <= *expires + 1000);
  CHECK(available_on(api, second, date) == kSeatsPerDate);

  // The lapsed hold reads EXPIRED to its owner and internally.
  CHECK(require_reservation(api.reservation(first, lapsing.id), 200).status == "EXPIRED");
  CHECK(require_reservation(api.internal_reservation(untouched.id), 200, true).status == "EXPIRED");

  // Another user takes the seat; the first reservation stays EXPIRED.
  const auto taken = api.hold(second, date, 1);
  CHECK(taken.status == "HELD");
  CHECK(taken.id != lapsing.id);
  CHECK(require_reservation(api.reservation(first, lapsing.id), 200).status == "EXPIRED");
  CHECK(require_reservation(api.reservation(second, taken.id), 200).status == "HELD");
  CHECK(api.seat_map(date).status.at(1) == "HELD");

  // Paying for a lapsed hold is 410 RESERVATION_EXPIRED and the seat is not SOLD.
  require_problem(api.confirm(late.id, "pay-late-1"), 410, "RESERVATION_EXPIRED");
  CHECK(api.seat_map(date).status.at(2) == "AVAILABLE");
  require_problem(api.confirm(late.id, "pay-late-1"), 410, "RESERVATION_EXPIRED");
  require_problem(api.reservation_of_payment("pay-late-1"), 404, "RESERVATION_NOT_FOUND");
  const auto late_view = require_reservation(api.internal_reservation(late.id), 200, true);
  CHECK(late_view.status == "EXPIRED");
  CHECK_FALSE(late_view.payment_id.has_value());

  // Cancelling a lapsed hold is quietly 204; it stays EXPIRED.
  CHECK(api.cancel(other_user, cancelled_late.id).status == 204);
  CHECK(require_reservation(api.reservation(other_user, cancelled_late.id), 200).status ==
        "EXPIRED");

  // The lapsed holds no longer count toward the limit of 2: the first user holds two more.
  api.hold(first, date, 5);
  api.hold(first, date, 6);
  require_problem(api.reserve(first, date, 7), 409, "SEAT_LIMIT_REACHED");

  // A replica with a quick sweeper tidies the untouched lapsed hold and counts it.
  auto sweeper = service.start_replica({{"HOLD_SWEEP_INTERVAL_MS", "50"}});
  const Api replica{sweeper->port()};
  const bool swept = poll_until(5000ms, [&] {
    const auto metrics = replica.get("/metrics").body;
    const std::regex counted(R"((^|\n)concert_holds_lapsed_total(\{[^}]*\})? [1-9])");
    return std::regex_search(metrics, counted);
  });
  CHECK(swept);
  CHECK(require_reservation(replica.internal_reservation(untouched.id), 200, true).status ==
        "EXPIRED");
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/reservations

TEST_CASE("Holding a seat is 201 with the reservation and its Location", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  const auto concert = api.concert_on({date}, 64000);
  const auto user = new_user();

  const auto before = now_ms();
  const auto reply = api.reserve(user, date, 7);
  const auto held = require_reservation(reply, 201);
  CHECK(held.concert_id == concert);
  CHECK(held.date == date);
  CHECK(held.seat_no == 7);
  CHECK(held.price == 64000);
  CHECK(held.status == "HELD");
  const auto expires = rfc3339_ms(held.expires_at);
  REQUIRE(expires.has_value());
  CHECK(*expires >= before + 300'000 - 2000);
  CHECK(*expires <= now_ms() + 300'000 + 2000);
  const auto location = reply.header("Location");
  REQUIRE(location.has_value());
  CHECK(*location == "/api/v1/reservations/" + std::to_string(held.id));

  // The Location reads the same reservation back to its owner.
  const auto read = require_reservation(api.get(*location, {{"X-User-Id", user}}), 200);
  CHECK(read.id == held.id);
  CHECK(read.concert_id == concert);
  CHECK(read.date == date);
  CHECK(read.seat_no == 7);
  CHECK(read.price == 64000);
  CHECK(read.status == "HELD");
  CHECK(read.expires_at == held.expires_at);

  // The edges of the seat range, and a body of exactly 64 KiB.
  CHECK(api.hold(new_user(), date, 1).seat_no == 1);
  CHECK(api.hold(new_user(), date, 50).seat_no == 50);
  std::string padded = reserve_body(date, 25);
  padded.append(kBodyLimit - padded.size(), ' ');
  REQUIRE(padded.size() == kBodyLimit);
  CHECK(require_reservation(api.reserve_raw(new_user(), padded), 201).seat_no == 25);
}

TEST_CASE("Holding with a bad seatNo is 400 INVALID_SEAT, with a bad date 400 INVALID_DATE",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto user = new_user();
  const std::string d = "\"date\":\"" + date + "\"";

  for (const std::string& seat :
       std::vector<std::string>{"0", "51", "-1", "\"7\"", "7.5", "7.0", "1e1", "null", "true",
                                "[7]", "{}", "9223372036854775808", "-9223372036854775809",
                                "4294967303", "99999999999999999999999"}) {
    INFO("seatNo " << seat);
    require_problem(api.reserve_raw(user, "{" + d + ",\"seatNo\":" + seat + "}"), 400,
                    "INVALID_SEAT");
  }
  require_problem(api.reserve_raw(user, "{" + d + "}"), 400, "INVALID_SEAT");

  for (const std::string& bad : std::vector<std::string>{
           "\"2026-02-30\"", "\"2026/12/24\"", "\"24-12-2099\"", "\"\"", "20261224", "null", "true",
           "[\"" + date + "\"]", "{}", "\"" + date + "T00:00:00Z\"", "\" " + date + "\""}) {
    INFO("date " << bad);
    require_problem(api.reserve_raw(user, "{\"date\":" + bad + ",\"seatNo\":7}"), 400,
                    "INVALID_DATE");
  }
  require_problem(api.reserve_raw(user, R"({"seatNo":7})"), 400, "INVALID_DATE");

  require_problem(api.reserve(user, fresh_date(), 7), 404, "DATE_NOT_FOUND");
  require_problem(api.reserve(user, "2099-06-15", 7), 404, "DATE_NOT_FOUND");

  // None of that took a seat or counted toward the limit.
  for (const auto& [seat, status] : api.seat_map(date).status) CHECK(status == "AVAILABLE");
  api.hold(user, date, 7);
  api.hold(user, date, 8);
}

TEST_CASE("Holding a held or sold seat is 409 SEAT_UNAVAILABLE", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto owner = new_user(), rival = new_user();

  const auto held = api.hold(owner, date, 10);
  require_problem(api.reserve(rival, date, 10), 409, "SEAT_UNAVAILABLE");
  require_problem(api.reserve(owner, date, 10), 409, "SEAT_UNAVAILABLE");  // not even its holder

  const auto sold = api.hold(owner, date, 11);
  CHECK(require_reservation(api.confirm(sold.id, "pay-sold-11"), 200, true).status == "CONFIRMED");
  CHECK(api.seat_map(date).status.at(11) == "SOLD");
  require_problem(api.reserve(rival, date, 11), 409, "SEAT_UNAVAILABLE");

  // The failed attempts did not count: the rival can still take two other seats.
  api.hold(rival, date, 12);
  api.hold(rival, date, 13);
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "HELD");
}

TEST_CASE(
    "A user holds or owns at most MAX_SEATS_PER_USER seats of one date: 409 SEAT_LIMIT_REACHED",
    "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date(), other_date = fresh_date();
  api.concert_on({date, other_date});
  const auto user = new_user();

  const auto one = api.hold(user, date, 1);
  const auto two = api.hold(user, date, 2);
  require_problem(api.reserve(user, date, 3), 409, "SEAT_LIMIT_REACHED");
  CHECK(api.seat_map(date).status.at(3) == "AVAILABLE");

  // Another date has its own limit; another user is unaffected.
  api.hold(user, other_date, 1);
  api.hold(user, other_date, 2);
  require_problem(api.reserve(user, other_date, 3), 409, "SEAT_LIMIT_REACHED");
  api.hold(new_user(), date, 3);

  // A sold seat still counts; a cancelled one does not.
  CHECK(require_reservation(api.confirm(one.id, "pay-limit-1"), 200, true).status == "CONFIRMED");
  require_problem(api.reserve(user, date, 4), 409, "SEAT_LIMIT_REACHED");
  REQUIRE(api.cancel(user, two.id).status == 204);
  api.hold(user, date, 4);
  require_problem(api.reserve(user, date, 5), 409, "SEAT_LIMIT_REACHED");
}

TEST_CASE("Holding with unknown fields, malformed JSON or over 64 KiB is refused",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto user = new_user();
  const auto body = reserve_body(date, 9);

  for (const std::string& bad :
       std::vector<std::string>{R"({"date":")" + date + R"(","seatNo":9,"section":"A"})",
                                R"({"date":")" + date + R"(","seatNo":9,"seatNo":9})",
                                R"({"date":")" + date + R"(","seatNo":9,"date":")" + date + R"("})",
                                "{", body + " x", body + body, body.substr(0, body.size() - 1),
                                "{" + body.substr(1, body.size() - 2) + ",}", "", "[]", "null", "9",
                                R"("seat")", "{date:1}"}) {
    INFO("body: " << bad);
    require_problem(api.reserve_raw(user, bad), 400, "INVALID_REQUEST");
  }

  std::string over = body;
  over.append(kBodyLimit + 1 - over.size(), ' ');
  require_problem(api.reserve_raw(user, over), 413, "PAYLOAD_TOO_LARGE");
  require_problem(api.reserve_raw(user, std::string(4 * kBodyLimit, ' ')), 413,
                  "PAYLOAD_TOO_LARGE");

  CHECK(api.seat_map(date).status.at(9) == "AVAILABLE");
  api.hold(user, date, 9);
}

TEST_CASE("Fifty users racing for one seat over HTTP: exactly one wins", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  constexpr int kRacers = 50;

  for (int seat : {5, 6, 7}) {
    std::vector<std::string> users(kRacers);
    for (auto& user : users) user = new_user();
    std::vector<Reply> replies(kRacers);
    test_support::race(kRacers, [&](int t) { replies[t] = api.reserve(users[t], date, seat); });

    int won = 0, unavailable = 0;
    std::string winner;
    for (int t = 0; t < kRacers; ++t) {
      if (replies[t].status == 201) {
        ++won;
        winner = users[t];
      } else if (replies[t].status == 409 && problem_code(replies[t]) == "SEAT_UNAVAILABLE") {
        ++unavailable;
      } else {
        FAIL_CHECK("racer " << t << " got " << replies[t].status << ": " << replies[t].body);
      }
    }
    INFO("seat " << seat);
    CHECK(won == 1);
    CHECK(unavailable == kRacers - 1);
    CHECK(api.seat_map(date).status.at(seat) == "HELD");
    for (int t = 0; t < kRacers; ++t) {
      if (replies[t].status != 201) continue;
      const auto view = require_reservation(replies[t], 201);
      CHECK(require_reservation(api.reservation(winner, view.id), 200).seat_no == seat);
    }
  }
}

TEST_CASE("Racing for one seat across two processes on one database: exactly one wins",
          "[concert-api]") {
  auto& service = stable_service();
  const auto api = api_of(service);
  const auto replica_process = service.start_replica();
  const Api replica{replica_process->port()};
  const auto date = fresh_date();
  api.concert_on({date});
  CHECK(replica.seat_map(date).status.at(1) == "AVAILABLE");  // the replica sees the same catalog
  constexpr int kRacers = 50;

  for (int seat : {20, 21, 22}) {
    std::vector<std::string> users(kRacers);
    for (auto& user : users) user = new_user();
    std::vector<Reply> replies(kRacers);
    test_support::race(kRacers, [&](int t) {
      replies[t] = (t % 2 == 0 ? api : replica).reserve(users[t], date, seat);
    });
    int won = 0, unavailable = 0;
    for (int t = 0; t < kRacers; ++t) {
      if (replies[t].status == 201) {
        ++won;
      } else if (replies[t].status == 409 && problem_code(replies[t]) == "SEAT_UNAVAILABLE") {
        ++unavailable;
      } else {
        FAIL_CHECK("racer " << t << " got " << replies[t].status << ": " << replies[t].body);
      }
    }
    INFO("seat " << seat);
    CHECK(won == 1);
    CHECK(unavailable == kRacers - 1);
    CHECK(api.seat_map(date).status.at(seat) == "HELD");
    CHECK(replica.seat_map(date).status.at(seat) == "HELD");
  }

  // One user racing for three seats on both processes with a limit of two: at most two win.
  const auto greedy = new_user();
  std::vector<Reply> replies(6);
  test_support::race(
      6, [&](int t) { replies[t] = (t % 2 == 0 ? api : replica).reserve(greedy, date, 30 + t); });
  int won = 0;
  for (const auto& reply : replies) {
    if (reply.status == 201)
      ++won;
    else
      CHECK(problem_code(reply) == "SEAT_LIMIT_REACHED");
  }
  CHECK(won == 2);
}

// ---------------------------------------------------------------------------------------------
// GET and DELETE /api/v1/reservations/{id}

TEST_CASE("Reading a reservation: only its owner sees it, bad ids are 400 INVALID_REQUEST",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto owner = new_user(), stranger = new_user();
  const auto held = api.hold(owner, date, 3);

  const auto read = require_reservation(api.reservation(owner, held.id), 200);
  CHECK(read.id == held.id);
  CHECK(read.status == "HELD");

  require_problem(api.reservation(stranger, held.id), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.reservation(owner, held.id + 100000), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.reservation(owner, "999999999999999999"), 404, "RESERVATION_NOT_FOUND");

  for (const std::string& bad :
       std::vector<std::string>{"abc", "0", "-1", "1.5", "+1", "01", "1e3", "0x10", "%201", "1%20",
                                "a99999999999999999", "1.5555555555555555"}) {
    INFO("reservationId '" << bad << "'");
    require_problem(api.reservation(owner, bad), 400, "INVALID_REQUEST");
    require_problem(api.cancel(owner, bad), 400, "INVALID_REQUEST");
    require_problem(api.internal_reservation(bad), 400, "INVALID_REQUEST");
    require_problem(api.confirm_raw(bad, R"({"paymentId":"p"})"), 400, "INVALID_REQUEST");
  }
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "HELD");
}

// Regression: parse_reservation_id multiplied the id by 10 even after deciding the text was too
// long, so 19 or more digits overflowed a signed 64-bit integer (UBSan abort in debug). Its own
// service, in case it dies again.
TEST_CASE("A reservationId of 19 or more digits is 400 INVALID_REQUEST, not a crash",
          "[concert-api]") {
  test_support::ConcertService service(settings("300"));
  const auto api = api_of(service);
  const auto user = new_user();
  for (const std::string& id : std::vector<std::string>{
           "9999999999999999999", "12345678901234567890", "a9999999999999999999",
           "1.99999999999999999999", std::string(4000, '9')}) {
    INFO("reservationId '" << id.substr(0, 40) << "'");
    for (const int route : {0, 1, 2, 3}) {
      INFO("route " << route);
      std::optional<Reply> reply;
      try {
        reply = route == 0   ? api.reservation(user, id)
                : route == 1 ? api.cancel(user, id)
                : route == 2 ? api.internal_reservation(id)
                             : api.confirm_raw(id, R"({"paymentId":"p"})");
      } catch (const std::exception& error) {
        INFO("service output: " << service.process->output().substr(0, 1500));
        FAIL("no answer: " << error.what());
      }
      require_problem(*reply, 400, "INVALID_REQUEST");
    }
  }
  CHECK(api.get("/healthz").status == 200);
}

TEST_CASE("Cancelling a hold: 204, the seat is free again, repeating is 204, others get 404",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto owner = new_user(), stranger = new_user();
  const auto held = api.hold(owner, date, 12);

  // Someone else's reservation is not found, and stays held.
  require_problem(api.cancel(stranger, held.id), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.cancel(owner, held.id + 100000), 404, "RESERVATION_NOT_FOUND");
  CHECK(api.seat_map(date).status.at(12) == "HELD");

  const auto cancelled = api.cancel(owner, held.id);
  CHECK(cancelled.status == 204);
  CHECK(cancelled.body.empty());
  CHECK(api.seat_map(date).status.at(12) == "AVAILABLE");
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "CANCELLED");
  CHECK(api.cancel(owner, held.id).status == 204);
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "CANCELLED");
  require_problem(api.cancel(stranger, held.id), 404, "RESERVATION_NOT_FOUND");

  // The seat is someone else's to take, and cancelling the old reservation again leaves it alone.
  const auto retaken = api.hold(stranger, date, 12);
  CHECK(api.cancel(owner, held.id).status == 204);
  CHECK(api.seat_map(date).status.at(12) == "HELD");
  CHECK(require_reservation(api.reservation(stranger, retaken.id), 200).status == "HELD");

  // A cancelled hold cannot be paid.
  require_problem(api.confirm(held.id, "pay-cancelled-12"), 409, "RESERVATION_CANCELLED");
  CHECK(api.seat_map(date).status.at(12) == "HELD");

  // A paid one cannot be cancelled.
  CHECK(api.confirm(retaken.id, "pay-retaken-12").status == 200);
  require_problem(api.cancel(stranger, retaken.id), 409, "ALREADY_PAID");
  CHECK(api.seat_map(date).status.at(12) == "SOLD");
  CHECK(require_reservation(api.reservation(stranger, retaken.id), 200).status == "CONFIRMED");
}

// ---------------------------------------------------------------------------------------------
// Internal API (payments)

TEST_CASE("Internal API: read, confirm (idempotent per payment), and look up by payment",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  const auto concert = api.concert_on({date}, 88000);
  const auto owner = new_user();
  const auto held = api.hold(owner, date, 40);

  const auto read = require_reservation(api.internal_reservation(held.id), 200, true);
  CHECK(read.id == held.id);
  CHECK(read.concert_id == concert);
  CHECK(read.seat_no == 40);
  CHECK(read.price == 88000);
  CHECK(read.status == "HELD");
  CHECK(read.user_id == owner);
  CHECK_FALSE(read.payment_id.has_value());
  require_problem(api.internal_reservation(held.id + 100000), 404, "RESERVATION_NOT_FOUND");

  const std::string payment = "pay_7f3c-0001";
  require_problem(api.reservation_of_payment(payment), 404, "RESERVATION_NOT_FOUND");

  const auto confirmed = require_reservation(api.confirm(held.id, payment), 200, true);
  CHECK(confirmed.id == held.id);
  CHECK(confirmed.status == "CONFIRMED");
  CHECK(confirmed.payment_id == payment);
  CHECK(confirmed.user_id == owner);
  CHECK(api.seat_map(date).status.at(40) == "SOLD");

  // The same payment again: the same answer.
  const auto again = require_reservation(api.confirm(held.id, payment), 200, true);
  CHECK(again.status == "CONFIRMED");
  CHECK(again.payment_id == payment);
  // Another payment for it: 409 ALREADY_CONFIRMED, nothing changes.
  require_problem(api.confirm(held.id, "pay_other"), 409, "ALREADY_CONFIRMED");
  require_problem(api.reservation_of_payment("pay_other"), 404, "RESERVATION_NOT_FOUND");

  const auto found = require_reservation(api.reservation_of_payment(payment), 200, true);
  CHECK(found.id == held.id);
  CHECK(found.status == "CONFIRMED");
  CHECK(found.payment_id == payment);
  CHECK(found.user_id == owner);
  CHECK(require_reservation(api.reservation(owner, held.id), 200).status == "CONFIRMED");
  const auto after = require_reservation(api.internal_reservation(held.id), 200, true);
  CHECK(after.status == "CONFIRMED");
  CHECK(after.payment_id == payment);

  // One payment id cannot confirm a second reservation.
  const auto second = api.hold(owner, date, 41);
  require_problem(api.confirm(second.id, payment), 409, "ALREADY_CONFIRMED");
  CHECK(api.seat_map(date).status.at(41) == "HELD");
  CHECK(require_reservation(api.internal_reservation(second.id), 200, true).status == "HELD");
  CHECK(require_reservation(api.reservation_of_payment(payment), 200, true).id == held.id);

  // Unknown reservations.
  require_problem(api.confirm(held.id + 100000, "pay_unknown"), 404, "RESERVATION_NOT_FOUND");
  require_problem(api.confirm_raw("999999999999999999", R"({"paymentId":"pay_unknown"})"), 404,
                  "RESERVATION_NOT_FOUND");
}

TEST_CASE("Concurrent confirms of one hold: one payment wins, the others are 409 ALREADY_CONFIRMED",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto owner = new_user();
  const auto held = api.hold(owner, date, 44);
  constexpr int kPayers = 12;
  std::vector<Reply> replies(kPayers);
  // Payers 0 and 1 share a payment id: if it wins, both are 200 (idempotent).
  const auto payment_of = [](int t) { return "pay-race-" + std::to_string(t <= 1 ? 0 : t); };
  test_support::race(kPayers, [&](int t) { replies[t] = api.confirm(held.id, payment_of(t)); });

  std::optional<std::string> winner;
  int confirmed = 0, refused = 0;
  for (int t = 0; t < kPayers; ++t) {
    if (replies[t].status == 200) {
      ++confirmed;
      if (!winner) winner = payment_of(t);
      CHECK(payment_of(t) == *winner);
    } else if (replies[t].status == 409 && problem_code(replies[t]) == "ALREADY_CONFIRMED") {
      ++refused;
    } else {
      FAIL_CHECK("payer " << t << " got " << replies[t].status << ": " << replies[t].body);
    }
  }
  REQUIRE(winner.has_value());
  CHECK(confirmed == (*winner == payment_of(0) ? 2 : 1));
  CHECK(confirmed + refused == kPayers);
  CHECK(require_reservation(api.internal_reservation(held.id), 200, true).payment_id == winner);
  CHECK(require_reservation(api.reservation_of_payment(*winner), 200, true).id == held.id);
  for (int t = 2; t < kPayers; ++t) {
    if (payment_of(t) != *winner)
      require_problem(api.reservation_of_payment(payment_of(t)), 404, "RESERVATION_NOT_FOUND");
  }
  CHECK(api.seat_map(date).status.at(44) == "SOLD");
}

TEST_CASE("Internal confirm with a bad paymentId or body is 400 INVALID_REQUEST", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto held = api.hold(new_user(), date, 1);
  const auto id = std::to_string(held.id);

  for (const std::string& body : std::vector<std::string>{
           R"({"paymentId":""})", R"({"paymentId":")" + std::string(300, 'p') + R"("})",
           R"({"paymentId":")" + std::string(256, 'p') + R"("})", R"({"paymentId":"pay 1"})",
           R"({"paymentId":"pay\t1"})", R"({"paymentId":"pay\u00e91"})", R"({"paymentId":"pay\n"})",
           R"({"paymentId":42})", R"({"paymentId":null})", R"({"paymentId":["p"]})", "{}",
           R"({"paymentId":"p","extra":1})", "{", "", "[]", "null"}) {
    INFO("body: " << body.substr(0, 80));
    require_problem(api.confirm_raw(id, body), 400, "INVALID_REQUEST");
  }
  CHECK(require_reservation(api.internal_reservation(held.id), 200, true).status == "HELD");
  CHECK(api.seat_map(date).status.at(1) == "HELD");
  // 255 visible characters is the longest id.
  const std::string longest(255, '~');
  CHECK(require_reservation(api.confirm(held.id, longest), 200, true).payment_id == longest);

  // A path id that cannot be a payment's is simply not found (never a 5xx).
  for (const std::string& bad :
       std::vector<std::string>{std::string(300, 'p'), std::string("pay%201"), std::string("%00"),
                                std::string("%7f"), std::string("%c3%a9")}) {
    INFO("paymentId path '" << bad.substr(0, 40) << "'");
    const auto reply = api.reservation_of_payment(bad);
    CHECK((reply.status == 404 || reply.status == 400));
    CHECK(is_problem_content_type(reply.content_type()));
  }
}

// Regression: text that is not valid UTF-8 reached PostgreSQL unchecked and was answered 500: a
// title with invalid UTF-8 bytes (raw, or a lone surrogate escape that RapidJSON decodes into
// CESU-8 bytes) and a payment id path segment that percent-decodes to invalid UTF-8.
TEST_CASE("Text that is not valid UTF-8 is a 4xx, not a 500", "[concert-api]") {
  const auto api = api_of(stable_service());
  for (const std::string& title :
       std::vector<std::string>{"\xc3\x28", "\xff\xfe", "ok\xe2\x82", R"(\udfff)", R"(\ud800x)"}) {
    INFO("title bytes " << title);
    const auto date = fresh_date();
    const auto reply = api.create_concert_raw(concert_body(title, 1000, {date}));
    INFO("answer " << reply.status << ": " << reply.body);
    CHECK(reply.status == 400);
    CHECK(problem_code(reply) == "INVALID_REQUEST");
    CHECK(api.list_seats(new_user(), date).status == 404);
  }
  for (const std::string& payment : std::vector<std::string>{"%ff%fe", "%c3%28", "pay%80"}) {
    INFO("paymentId path " << payment);
    const auto reply = api.reservation_of_payment(payment);
    INFO("answer " << reply.status << ": " << reply.body);
    CHECK((reply.status == 400 || reply.status == 404));
  }
  CHECK(api.get("/healthz").status == 200);
}

// ---------------------------------------------------------------------------------------------
// Routing and operations

TEST_CASE("Unknown routes are 404 NOT_FOUND and wrong methods 405 METHOD_NOT_ALLOWED with Allow",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const Headers user = {{"X-User-Id", new_user()}};
  for (const std::string& target : std::vector<std::string>{
           "/", "/api/v1/nope", "/api/v1/concerts", "/api/v1/concerts/dates/2099-01-01",
           "/api/v1/concerts/dates/2099-01-01/seats/1", "/api/v1/concerts/dates/",
           "/api/v1/reservations/", "/api/v1/reservations/1/extra", "/internal/v1/reservations",
           "/internal/v1/payments/p", "/internal/v1/nope", "/api/v1/concerts/dates//seats"}) {
    INFO("GET " << target);
    require_problem(api.get(target, user), 404, "NOT_FOUND");
  }

  struct Case {
    const char* method;
    const char* target;
    std::vector<const char*> allowed;
  };
  for (const auto& c : {Case{"GET", "/api/v1/admin/concerts", {"POST"}},
                        Case{"PUT", "/api/v1/reservations", {"POST"}},
                        Case{"GET", "/api/v1/reservations", {"POST"}},
                        Case{"POST", "/api/v1/concerts/dates", {"GET"}},
                        Case{"DELETE", "/api/v1/concerts/dates/2099-01-01/seats", {"GET"}},
                        Case{"POST", "/api/v1/reservations/1", {"GET", "DELETE"}},
                        Case{"PUT", "/api/v1/reservations/1", {"GET", "DELETE"}},
                        Case{"DELETE", "/internal/v1/reservations/1", {"GET"}},
                        Case{"GET", "/internal/v1/reservations/1/confirm", {"POST"}},
                        Case{"POST", "/internal/v1/payments/p/reservation", {"GET"}},
                        Case{"POST", "/healthz", {"GET"}}}) {
    INFO(c.method << " " << c.target);
    const auto reply = api.send(c.method, c.target, "{}", user);
    require_problem(reply, 405, "METHOD_NOT_ALLOWED");
    const auto allow = reply.header("Allow");
    REQUIRE(allow.has_value());
    for (const char* method : c.allowed) CHECK(allow->find(method) != std::string::npos);
    CHECK(allow->find(c.method) == std::string::npos);
  }
}

TEST_CASE("Health, readiness and metrics", "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  api.hold(new_user(), date, 1);

  const auto metrics = test_support::require_operations_endpoints(
      api, {"http_requests_total", "concert_holds_lapsed_total", "http_request_duration_seconds"});
  // Requests are counted by route pattern, not by raw path.
  CHECK(metrics.find("/api/v1/reservations") != std::string::npos);
  CHECK(metrics.find(date) == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Hostile input

TEST_CASE("Hostile bodies and paths are answered 4xx, never 5xx, and the service stays healthy",
          "[concert-api]") {
  const auto api = api_of(stable_service());
  const auto date = fresh_date();
  api.concert_on({date});
  const auto user = new_user();

  using namespace std::string_literals;
  std::vector<std::string> bodies = test_support::hostile_json_bodies();
  bodies.insert(
      bodies.end(),
      {
          R"({"date":)" + repeat("[", 10000) + repeat("]", 10000) + R"(,"seatNo":1})",
          R"({"seatNo":)" + repeat("{\"a\":", 5000) + "1" + repeat("}", 5000) + "}",
          R"({"title":"T","price":1,"dates":)" + repeat("[", 5000) + repeat("]", 5000) + "}",
          R"({"date":")" + date + R"(","seatNo":1e400})",
          R"({"date":")" + date + R"(","seatNo":-1e400})",
          R"({"date":")" + date + R"(","seatNo":)" + std::string(5000, '9') + "}",
          R"({"date":")" + date + R"(","seatNo":0.)" + std::string(400, '0') + "1}",
          R"({"date":")" + date + R"(","seatNo":1.)" + std::string(600, '0') + "}",
          R"({"date":")" + date + R"(","seatNo":1e-99999})",
          R"({"title":"T","price":0.)" + std::string(400, '0') + "1," + R"("dates":[")" + date +
              R"("]})",
          R"({"title":"T","price":)" + std::string(400, '9') + "," + R"("dates":[")" + date +
              R"("]})",
          "{\"date\":\"" + date + "\",\"seatNo\":1}\0"s,
          "{\"date\":\"" + date + "\0\",\"seatNo\":1}"s,
          R"({"date":"\u0000","seatNo":1})",
          "{\"date\":\"\xff\xfe\",\"seatNo\":1}",
          "{\"seatNo\xc0\xaf\":1}",
          R"({"date":"\ud800","seatNo":1})",
          R"({"date":")" + std::string(60 * 1024, '2') + R"(","seatNo":1})",
          R"({"title":")" + std::string(60 * 1024, 't') + R"(","price":1,"dates":[")" + date +
              R"("]})",
          R"({"title":"T","price":1,"dates":[")" + std::string(60 * 1024, '2') + R"("]})",
          R"({"title":"T","price":1,"dates":[)" + repeat("\"2099-01-01\",", 5000) +
              "\"2099-01-02\"]}",
      });
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    for (const bool admin : {false, true}) {
      INFO("body #" << i << " (" << bodies[i].size() << " bytes) to "
                    << (admin ? "POST /api/v1/admin/concerts" : "POST /api/v1/reservations") << ": "
                    << bodies[i].substr(0, 60));
      const auto reply =
          admin ? api.create_concert_raw(bodies[i]) : api.reserve_raw(user, bodies[i]);
      INFO("answer " << reply.status << ": " << reply.body.substr(0, 300));
      CHECK(reply.status >= 400);
      CHECK(reply.status < 500);
      CHECK(is_problem_content_type(reply.content_type()));
    }
  }

  const std::vector<std::string> paths = {
      "/api/v1/concerts/dates/%00/seats",
      "/api/v1/concerts/dates/" + std::string(4000, '2') + "/seats",
      "/api/v1/concerts/dates/%2e%2e/seats",
      "/api/v1/concerts/dates/..%2F..%2Fhealthz/seats",
      "/api/v1/concerts/dates/%ff%fe%fd/seats",
      "/api/v1/concerts/dates/%zz/seats",
      "/api/v1/concerts/dates/%/seats",
      "/api/v1/concerts/dates/2099-01-0%31/seats",
      "/api/v1/concerts/dates/" + date + "%00/seats",
      "/api/v1/reservations/%2e%2e",
      "/api/v1/reservations/%00",
      "/api/v1/reservations/1%00",
      "/api/v1/reservations/" + std::string(4000, 'x'),
      "/api/v1/reservations/-0",
      "/api/v1/reservations/%31",
      "/internal/v1/reservations/%2e%2e",
      "/internal/v1/reservations/%2e%2e/confirm",
      "/internal/v1/payments/%00/reservation",
      "/internal/v1/payments/" + std::string(4000, 'p') + "/reservation",
      "/api/v1/reservations/../admin/concerts",
      "/api/v1/reservations?seatNo=1",
      "//api/v1/concerts/dates",
      "/api/v1/concerts/dates?%00=%ff",
  };
  for (const auto& path : paths) {
    for (const char* method : {"GET", "DELETE"}) {
      INFO(method << " " << path.substr(0, 80));
      const auto reply = api.send(method, path, {}, {{"X-User-Id", user}});
      INFO("answer " << reply.status << ": " << reply.body.substr(0, 300));
      CHECK(reply.status < 500);
      // Only a path that names a real reservation by another spelling may succeed.
      if (reply.status >= 400) CHECK(is_problem_content_type(reply.content_type()));
    }
  }
  // Malformed HTTP itself.
  for (
      const std::string& raw : std::vector<std::string>{
          "GARBAGE\r\n\r\n"s, "GET /healthz HTTP/9.9\r\n\r\n"s, "GET\r\n\r\n"s,
          "POST /api/v1/reservations HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"s,
          "POST /api/v1/reservations HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"s,
          "GET /api/v1/concerts/dates HTTP/1.1\r\nHost: x\r\nX-User-Id: " + user +
              "\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"}) {
    INFO("raw request " << raw.substr(0, 60));
    try {
      const auto reply = exchange_raw(api.port, raw);
      CHECK(reply.status >= 400);
      CHECK(reply.status < 500);
    } catch (const std::exception&) {
      // Closing the connection without an answer is acceptable for garbage.
    }
  }

  CHECK(api.get("/healthz").status == 200);
  CHECK(api.get("/readyz").status == 200);
  // Nothing was reserved or created by any of it.
  for (const auto& [seat, status] : api.seat_map(date).status) CHECK(status == "AVAILABLE");
  require_problem(api.list_seats(user, "2099-01-01"), 404, "DATE_NOT_FOUND");
  api.hold(user, date, 1);
}
