// The line in PostgreSQL: admission passes, drops, expiry and capacity.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "postgres_queue.hpp"

using namespace queue;
using namespace std::chrono_literals;
using namespace queue::testing;

TEST_CASE("The admission pass expires, drops and admits in order of place", "[postgres]") {
  PostgresQueue q;
  std::vector<IssueOutcome> issued;
  for (int i = 0; i < 6; ++i) issued.push_back(q.issue());  // places 1-3 active, 4-6 waiting

  q.now = q.now.load() + 30s;
  q.line.record_polls({issued[4].token.value, issued[5].token.value}, q.now);
  q.now = q.now.load() + 40s;  // place 4 was never polled: abandoned after 60 s
  REQUIRE(q.tokens.expire(issued[0].token.value));
  auto report = q.line.admit({600s, 60s});
  CHECK(report.dropped == 1);
  CHECK(report.admitted == 1);
  CHECK(q.find_now(issued[3].token.value)->status == TokenStatus::dropped);
  CHECK(q.find_now(issued[4].token.value)->status == TokenStatus::active);
  CHECK(q.find_now(issued[5].token.value)->status == TokenStatus::waiting);

  auto status = q.line.status(0);
  CHECK(status.counters.served_place == 5);
  CHECK(status.counters.active == 3);
  CHECK(status.counters.waiting == 1);
  CHECK(status.counters.dropped_total == 1);
  CHECK(status.counters.expired_total == 1);

  q.now = q.now.load() + 601s;  // every active token's TTL is up
  report = q.line.admit({600s, 3600s});
  CHECK(report.expired == 3);
  CHECK(report.admitted == 1);
  CHECK(q.line.status(0).counters.active == 1);
}

TEST_CASE("Drops ahead of the served counter are reported once to each reader", "[postgres]") {
  PostgresQueue q;
  q.line.update_settings(1, std::nullopt);
  for (int i = 0; i < 4; ++i) q.issue();  // place 1 active, 2-4 waiting
  q.now = q.now.load() + 61s;
  q.line.admit({3600s, 60s});  // all three waiting tokens were never polled
  auto status = q.line.status(0);
  REQUIRE(status.new_drops.size() == 3);
  CHECK(status.new_drops[0].place == 2);
  CHECK(q.line.status(status.new_drops.back().sequence).new_drops.empty());
}

TEST_CASE("Expire is idempotent and keeps the counters right", "[postgres]") {
  PostgresQueue q;
  auto token = q.issue();
  auto expired = q.tokens.expire(token.token.value);
  REQUIRE(expired);
  CHECK(expired->status == TokenStatus::expired);
  CHECK(q.tokens.expire(token.token.value)->status == TokenStatus::expired);
  CHECK_FALSE(q.tokens.expire("ffffffffffffffffffffffffffffffff"));
  q.line.admit({600s, 60s});  // the pass folds the expiry into the counters
  auto status = q.line.status(0);
  CHECK(status.counters.active == 0);
  CHECK(status.counters.expired_total == 1);
}

TEST_CASE("Concurrent expiries, batched together, each end their token once", "[postgres]") {
  PostgresQueue q;
  REQUIRE(q.line.update_settings(100, std::nullopt).capacity == 100);
  std::vector<std::string> values;
  for (int i = 0; i < 20; ++i) values.push_back(q.issue().token.value);
  std::atomic<int> ended{0};
  // Two threads per token: the same token in one batch or in two must both answer EXPIRED.
  test_support::race(40, [&](int t) {
    auto token = q.tokens.expire(values[static_cast<std::size_t>(t % 20)]);
    if (!token || token->status != TokenStatus::expired) throw std::runtime_error("not ended");
    ++ended;
  });
  CHECK(ended == 40);
  for (const auto& value : values) CHECK(q.find_now(value)->status == TokenStatus::expired);
  q.line.admit({600s, 60s});
  const auto status = q.line.status(0);
  CHECK(status.counters.active == 0);
  CHECK(status.counters.expired_total == 20);
}

TEST_CASE("Capacity follows the configuration until an admin sets it", "[postgres]") {
  PostgresQueue q;
  q.line.initialise(50);
  CHECK(q.line.status(0).settings.capacity == 50);
  auto settings = q.line.update_settings(7, true);
  CHECK(settings.capacity == 7);
  CHECK(settings.paused);
  q.line.initialise(50);  // a restart with the old configuration keeps the admin's choice
  CHECK(q.line.status(0).settings.capacity == 7);
}
