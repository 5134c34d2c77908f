// Sold out (product-spec.md, "Sale day") with real queue and concert processes: the queue asks
// the concert service each admission pass, admits nobody while no seat is AVAILABLE, tells every
// token when nothing can come back, and resumes by itself.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/dates.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int kIntervalMs = 300;

struct Line {
  Line()
      : concert({{"HOLD_TTL_SECONDS", "10"}, {"MAX_SEATS_PER_USER", "50"}}),
        queue({{"QUEUE_CAPACITY", "1"},
               {"QUEUE_ADMIT_INTERVAL_MS", std::to_string(kIntervalMs)},
               {"CONCERT_URL", "http://127.0.0.1:" + std::to_string(concert.process->port())}}),
        queue_client(queue.process->client()),
        concert_client(concert.process->client()) {}

  rapidjson::Document state(const std::string& token) {
    auto reply = test_support::poll_token(queue_client, token);
    REQUIRE(reply.status == 200);
    return test_support::parse_json(reply.body);
  }

  // How long until every token reads soldOut == `expected`; fails after `limit`.
  std::chrono::milliseconds until_all_read(const std::vector<test_support::IssuedToken>& tokens,
                                           bool expected, std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < limit) {
      bool all = true;
      for (const auto& token : tokens) all = all && state(token.token)["soldOut"].GetBool() == expected;
      if (all) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
      }
      std::this_thread::sleep_for(20ms);
    }
    FAIL("not every token read soldOut " << expected << " in time");
    return limit;
  }

  std::string concert_on(const std::string& date) {
    auto reply = test_support::call(
        concert_client, ticketing::http::Method::post, "/api/v1/admin/concerts",
        R"({"title":"Small show","price":100,"dates":[")" + date + R"("]})",
        {{"X-Admin-Key", "test-admin-key"}});
    REQUIRE(reply.status == 201);
    return date;
  }

  void hold(const std::string& date, int seat_no) {
    auto reply = test_support::call(
        concert_client, ticketing::http::Method::post, "/api/v1/reservations",
        R"({"date":")" + date + R"(","seatNo":)" + std::to_string(seat_no) + "}",
        {{"X-User-Id", "11111111-1111-4111-8111-111111111111"}});
    REQUIRE(reply.status == 201);
  }

  test_support::ConcertService concert;
  test_support::QueueService queue;
  ticketing::http::Client queue_client;
  ticketing::http::Client concert_client;
};

}  // namespace

TEST_CASE("With nothing left to sell every token reads soldOut, and a new show ends it",
          "[sold-out]") {
  Line line;  // no concert at all: nothing AVAILABLE, nothing HELD
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * kIntervalMs));  // the line asks
  std::vector<test_support::IssuedToken> waiting;
  for (int i = 0; i < 5; ++i) waiting.push_back(test_support::issue_token(line.queue_client));
  for (const auto& token : waiting) CHECK(token.state == "WAITING");  // nobody admitted
  // Within one admission interval plus one poll of each.
  CHECK(line.until_all_read(waiting, true, std::chrono::milliseconds(2 * kIntervalMs) + 1000ms) <=
        std::chrono::milliseconds(2 * kIntervalMs) + 1000ms);
  CHECK(test_support::issue_token(line.queue_client).state == "WAITING");
  const auto fresh = test_support::issue_token(line.queue_client);
  CHECK(line.state(fresh.token)["soldOut"].GetBool());  // new tokens too

  line.concert_on(test_support::date_in_days(3));
  line.until_all_read(waiting, false, 5000ms);
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (std::string(line.state(waiting.front().token)["status"].GetString()) != "ACTIVE" &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(50ms);
  }
  CHECK(line.state(waiting.front().token)["status"].GetString() == std::string("ACTIVE"));
}

TEST_CASE("While every seat is held nobody is admitted, and a lapsed hold resumes admission",
          "[sold-out]") {
  Line line;
  const auto date = line.concert_on(test_support::date_in_days(2));
  for (int seat = 1; seat <= 50; ++seat) line.hold(date, seat);
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * kIntervalMs));  // the line learns it
  const auto first = test_support::issue_token(line.queue_client);
  CHECK(first.state == "WAITING");  // capacity is free, but there is nothing to buy
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * kIntervalMs));
  const auto still = line.state(first.token);
  CHECK(still["status"].GetString() == std::string("WAITING"));
  CHECK_FALSE(still["soldOut"].GetBool());  // held seats may come back

  // The holds lapse (HOLD_TTL_SECONDS=10, long enough to hold all 50 under load): seats are AVAILABLE again, admission resumes.
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (std::string(line.state(first.token)["status"].GetString()) != "ACTIVE" &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(100ms);
  }
  CHECK(line.state(first.token)["status"].GetString() == std::string("ACTIVE"));
}
