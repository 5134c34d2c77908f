// The PostgreSQL adapters against a real database, each test on its own throwaway database.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <set>
#include <thread>

#include "adapters/postgres/postgres_line_repository.hpp"
#include "adapters/postgres/postgres_token_repository.hpp"
#include "adapters/postgres/statements.hpp"
#include "queue_migrations.hpp"
#include "support/race.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/db/testing/temp_database.hpp"
#include "ticketing/ids.hpp"

using namespace queue;
using namespace std::chrono_literals;

namespace {

// A migrated queue schema and the adapters over it, with a clock the test moves.
struct PostgresQueue {
  PostgresQueue()
      : role(database.unique_role("queue")),
        logger("queue-test", ticketing::log::Level::warn),
        pool((ticketing::db::migrate(database.admin_url(), {"queue", role, "pw"}, migrations(),
                                     logger),
              ticketing::db::PoolOptions{database.url_for(role, "pw"), 8}),
             sql::prepare_all, logger),
        tokens(pool, clock()),
        users(pool),
        line(pool, clock()) {
    line.initialise(3);
  }

  ClockFn clock() {
    return [this] { return now.load(); };
  }

  // Safe on any thread: Catch2 assertions are not, so failures throw instead.
  IssueResult issue_result(std::optional<std::string> user) {
    std::promise<ticketing::Completed<IssueResult>> promise;
    tokens.issue(
        {user, ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s},
        [&](ticketing::Completed<IssueResult> done) { promise.set_value(std::move(done)); });
    return promise.get_future().get().get();
  }

  std::optional<Token> find_now(const std::string& token) {
    std::promise<ticketing::Completed<std::optional<Token>>> promise;
    tokens.find(token, [&](auto done) { promise.set_value(std::move(done)); });
    return promise.get_future().get().get();
  }

  IssueOutcome issue(std::optional<std::string> user = std::nullopt) {
    auto outcome = issue_result(user);
    if (!outcome.ok()) throw std::runtime_error("issue failed");
    return outcome.value();
  }

  std::atomic<TimePoint> now{ticketing::Clock::now()};
  ticketing::db::testing::TempDatabase database;
  std::string role;
  ticketing::log::Logger logger;
  ticketing::db::Pool pool;
  PostgresTokenRepository tokens;
  PostgresUserRepository users;
  PostgresLineRepository line;
};

}  // namespace

TEST_CASE("Issued tokens are stored, found and admitted up to the capacity", "[postgres]") {
  PostgresQueue q;
  auto first = q.issue();
  CHECK(first.created);
  CHECK(first.token.status == TokenStatus::active);
  CHECK(q.users.exists(first.token.user_id));

  auto found = q.find_now(first.token.value);
  REQUIRE(found);
  CHECK(found->user_id == first.token.user_id);
  CHECK(found->place == 1);
  REQUIRE(found->expires_at);
  CHECK(std::chrono::abs(*found->expires_at - *first.token.expires_at) < 1ms);

  q.issue();
  q.issue();
  auto fourth = q.issue();
  CHECK(fourth.token.status == TokenStatus::waiting);
  CHECK(fourth.served_place == 3);
  auto status = q.line.status(0);
  CHECK(status.counters.active == 3);
  CHECK(status.counters.waiting == 1);
  CHECK(status.counters.last_place == 4);
}

TEST_CASE("A returning user gets their live token, unknown users are refused", "[postgres]") {
  PostgresQueue q;
  auto first = q.issue();
  auto again = q.issue(first.token.user_id);
  CHECK_FALSE(again.created);
  CHECK(again.token.value == first.token.value);
  auto unknown = q.issue_result(std::string("123e4567-e89b-42d3-a456-426614174000"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error() == QueueError::user_not_found);
}

TEST_CASE("Concurrent issues through the batcher get distinct places without gaps", "[postgres]") {
  PostgresQueue q;
  std::mutex mutex;
  std::set<std::int64_t> places;
  test_support::race(40, [&](int) {
    for (int i = 0; i < 10; ++i) {
      auto outcome = q.issue();
      std::lock_guard lock(mutex);
      places.insert(outcome.token.place);
    }
  });
  CHECK(places.size() == 400);
  CHECK(*places.begin() == 1);
  CHECK(*places.rbegin() == 400);
  CHECK(q.line.status(0).counters.active == 3);
}

TEST_CASE("One user asking many times at once gets one live token", "[postgres]") {
  PostgresQueue q;
  q.line.update_settings(0, std::nullopt);  // nobody admitted: the token stays WAITING
  auto first = q.issue();
  std::atomic<int> created{0};
  test_support::race(20, [&](int) {
    if (q.issue(first.token.user_id).created) ++created;
  });
  CHECK(created == 0);
  CHECK(q.line.status(0).counters.waiting == 1);
}

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
