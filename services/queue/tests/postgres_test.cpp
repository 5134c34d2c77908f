// The PostgreSQL adapters against a real database, each test on its own throwaway database.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "adapters/postgres/postgres_line_repository.hpp"
#include "adapters/postgres/postgres_token_repository.hpp"
#include "adapters/postgres/rows.hpp"
#include "adapters/postgres/statements.hpp"
#include "adapters/postgres/token_end_listener.hpp"
#include "queue_migrations.hpp"
#include "support/race.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/db/testing/temp_database.hpp"
#include "ticketing/ids.hpp"

using namespace queue;
using namespace std::chrono_literals;

namespace {

// Asks the repository and waits for the answer.
std::optional<Token> find_in(TokenRepository& tokens, const std::string& token) {
  std::promise<ticketing::Completed<std::optional<Token>>> promise;
  tokens.find(token, [&](auto done) { promise.set_value(std::move(done)); });
  return promise.get_future().get().get();
}

// Issues a token through the repository (to a new user by default) and waits for the answer.
IssueResult issue_in(TokenRepository& tokens, std::optional<std::string> user = std::nullopt) {
  std::promise<ticketing::Completed<IssueResult>> promise;
  tokens.issue(
      {std::move(user), ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s},
      [&](ticketing::Completed<IssueResult> done) { promise.set_value(std::move(done)); });
  return promise.get_future().get().get();
}

// True once `condition` holds, false if it still does not after `limit`.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 3000ms) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A migrated queue schema and the adapters over it, with a clock the test moves. Tokens go
// through the ACTIVE token cache and its listener, as in the service.
struct PostgresQueue {
  PostgresQueue()
      : role(database.unique_role("queue")),
        logger("queue-test", ticketing::log::Level::warn),
        pool((ticketing::db::migrate(database.admin_url(), {"queue", role, "pw"}, migrations(),
                                     logger),
              ticketing::db::PoolOptions{url(), 8}),
             sql::prepare_all, logger),
        cache(clock()),
        listener(url(), cache, logger),
        tokens(pool, clock(), cache, known_users),
        users(pool, known_users),
        line(pool, clock()) {
    line.initialise(3);
  }

  std::string url() const { return database.url_for(role, "pw"); }

  ClockFn clock() {
    return [this] { return now.load(); };
  }

  // Safe on any thread: Catch2 assertions are not, so failures throw instead.
  IssueResult issue_result(std::optional<std::string> user) { return issue_in(tokens, user); }

  std::optional<Token> find_now(const std::string& token) { return find_in(tokens, token); }

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
  ActiveTokenCache cache;
  TokenEndListener listener;
  ticketing::RememberedStrings known_users{100};
  PostgresTokenRepository tokens;
  PostgresUserRepository users;
  PostgresLineRepository line;
};

// Another replica of the service on the same database: its own pool, cache and listener.
struct OtherReplica {
  explicit OtherReplica(PostgresQueue& q)
      : pool({q.url(), 2}, sql::prepare_all, q.logger),
        cache(q.clock()),
        listener(q.url(), cache, q.logger),
        tokens(pool, q.clock(), cache, known_users) {}

  ticketing::db::Pool pool;
  ActiveTokenCache cache;
  TokenEndListener listener;
  ticketing::RememberedStrings known_users{100};
  PostgresTokenRepository tokens;
};

// The same replica's adapters with a cache trusted by hand and no listener: only the replica's
// own forgetting (or the test's) can refuse a token it keeps.
struct TrustedByHand {
  explicit TrustedByHand(PostgresQueue& q)
      : cache(q.clock()), tokens(q.pool, q.clock(), cache, known_users) {
    cache.trust_for(1h);
  }

  ActiveTokenCache cache;
  ticketing::RememberedStrings known_users{100};
  PostgresTokenRepository tokens;
};

// Collects what is notified on the token end channel, on a connection of the test's own.
struct EndChannel : pqxx::notification_receiver {
  explicit EndChannel(pqxx::connection& connection)
      : pqxx::notification_receiver(connection, sql::kTokenEndChannel) {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
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

TEST_CASE("New visitors wait behind anyone waiting, and nobody is admitted while paused",
          "[postgres]") {
  PostgresQueue q;  // capacity 3
  for (int i = 0; i < 3; ++i) REQUIRE(q.issue().token.status == TokenStatus::active);
  CHECK(q.issue().token.status == TokenStatus::waiting);

  // Capacity is free again, but someone waits: a newcomer queues behind them (FIFO).
  q.line.update_settings(10, std::nullopt);
  auto behind = q.issue();
  CHECK(behind.token.status == TokenStatus::waiting);
  CHECK(behind.token.place == 5);
  CHECK(behind.served_place == 3);
  auto counters = q.line.status(0).counters;
  CHECK(counters.active == 3);
  CHECK(counters.waiting == 2);
  CHECK(counters.last_place == 5);

  PostgresQueue paused;
  paused.line.update_settings(std::nullopt, true);
  CHECK(paused.issue().token.status == TokenStatus::waiting);
  CHECK(paused.line.status(0).counters.active == 0);
}

// The admission rule at issue is written twice: in SQL for batches of new visitors only
// (issue_to_new_users, one round trip) and as the domain's admit_on_arrival for batches with a
// returning visitor. Both ways must admit alike from the same line states.
TEST_CASE("New and returning visitors are admitted at issue by the same rule", "[postgres]") {
  // The statuses one way of issuing gives: free places, a full line, free places while someone
  // waits, and a paused line that nobody waits in.
  const auto statuses_issued = [](bool returning) {
    std::vector<TokenStatus> statuses;
    for (const bool paused : {false, true}) {
      PostgresQueue q;                    // capacity 3
      std::vector<std::string> comeback;  // users whose first token has ended
      if (returning) {
        for (int i = 0; i < 5; ++i) {
          const auto first = q.issue();
          comeback.push_back(first.token.user_id);
          REQUIRE(q.tokens.expire(first.token.value));
        }
        q.line.admit({600s, 60s});  // folds the ends into the counters: nobody in line
        REQUIRE(q.line.status(0).counters.active == 0);
        REQUIRE(q.line.status(0).counters.waiting == 0);
      }
      const auto visit = [&] {
        std::optional<std::string> user;
        if (returning) {
          user = comeback.back();
          comeback.pop_back();
        }
        statuses.push_back(q.issue(user).token.status);
      };
      if (paused) {
        q.line.update_settings(std::nullopt, true);
        visit();
        continue;
      }
      for (int i = 0; i < 4; ++i) visit();
      q.line.update_settings(10, std::nullopt);
      visit();
    }
    return statuses;
  };

  using enum TokenStatus;
  const std::vector<TokenStatus> expected{active, active, active, waiting, waiting, waiting};
  CHECK(statuses_issued(false) == expected);
  CHECK(statuses_issued(true) == expected);
}

TEST_CASE("Issue times follow the line even when the issuing clock is behind", "[postgres]") {
  PostgresQueue q;
  const auto start = q.now.load();
  auto first = q.issue();
  q.now = start - 10s;  // another replica's clock, behind
  auto second = q.issue();
  REQUIRE(second.token.status == TokenStatus::active);
  // The second token is issued and admitted no earlier than the first, and the expiry it was
  // told is the one stored.
  REQUIRE(second.token.expires_at);
  CHECK(*second.token.expires_at == *first.token.expires_at);
  pqxx::connection connection(q.url());
  pqxx::read_transaction txn(connection);
  const auto rows = txn.exec(
      "SELECT (extract(epoch FROM issued_at) * 1000000)::bigint, "
      "(extract(epoch FROM admitted_at) * 1000000)::bigint, "
      "(extract(epoch FROM expires_at) * 1000000)::bigint FROM queue.tokens ORDER BY place");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0].as<std::int64_t>() >= rows[0][0].as<std::int64_t>());
  CHECK(rows[1][1].as<std::int64_t>() >= rows[0][1].as<std::int64_t>());
  CHECK(rows[1][2].as<std::int64_t>() == sql::micros(*second.token.expires_at));
}

TEST_CASE("The tokens table takes only 32 lowercase hex digits as a token", "[postgres]") {
  PostgresQueue q;
  const auto user = q.issue().token.user_id;
  pqxx::connection connection(q.url());
  std::int64_t place = 1000;
  const auto store = [&](const std::string& token) {
    pqxx::work txn(connection);
    txn.exec_params(
        "INSERT INTO queue.tokens (token, user_id, place, status, issued_at, last_polled_at) "
        "VALUES ($1, $2::uuid, $3, 'EXPIRED', now(), now())",
        token, user, place++);
    txn.commit();
  };
  REQUIRE_NOTHROW(store("0123456789abcdef0123456789abcdef"));
  for (const std::string bad :
       {"0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0", "0123456789abcdef0123456789abcdeg",
        " 123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcde\n", ""}) {
    CAPTURE(bad);
    REQUIRE_THROWS_AS(store(bad), pqxx::check_violation);
  }
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

TEST_CASE("Two replicas issuing at once take turns on the line: places without gaps or repeats",
          "[postgres]") {
  PostgresQueue q;
  OtherReplica other(q);
  std::mutex mutex;
  std::set<std::int64_t> places;
  test_support::race(20, [&](int t) {
    TokenRepository& tokens = t % 2 == 0 ? static_cast<TokenRepository&>(q.tokens) : other.tokens;
    for (int i = 0; i < 10; ++i) {
      std::promise<ticketing::Completed<IssueResult>> promise;
      tokens.issue(
          {std::nullopt, ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s},
          [&](ticketing::Completed<IssueResult> done) { promise.set_value(std::move(done)); });
      auto outcome = promise.get_future().get().get();
      if (!outcome.ok()) throw std::runtime_error("issue refused");
      std::lock_guard lock(mutex);
      places.insert(outcome.value().token.place);
    }
  });
  CHECK(places.size() == 200);
  CHECK(*places.begin() == 1);
  CHECK(*places.rbegin() == 200);
  const auto counters = q.line.status(0).counters;
  CHECK(counters.active == 3);
  CHECK(counters.waiting == 197);
  CHECK(counters.last_place == 200);
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

TEST_CASE("A token ended on one replica is refused by another that had it in memory",
          "[postgres][token_cache]") {
  PostgresQueue a;
  OtherReplica b(a);
  REQUIRE(eventually([&] { return b.cache.trusted(); }));  // b's listener is listening
  const auto token = a.issue().token;
  REQUIRE(token.status == TokenStatus::active);
  REQUIRE(find_in(b.tokens, token.value)->status == TokenStatus::active);  // read, kept
  REQUIRE(find_in(b.tokens, token.value)->status == TokenStatus::active);
  REQUIRE(b.cache.hits() == 1);  // the second answer came from memory

  REQUIRE(a.tokens.expire(token.value)->status == TokenStatus::expired);
  CHECK(eventually([&] { return find_in(b.tokens, token.value)->status == TokenStatus::expired; }));
}

TEST_CASE("The replica that ends a token refuses it at once", "[postgres][token_cache]") {
  PostgresQueue q;
  TrustedByHand replica(q);
  auto& [cache, known_users, tokens] = replica;
  const auto token = q.issue().token;
  REQUIRE(find_in(tokens, token.value)->status == TokenStatus::active);
  REQUIRE(find_in(tokens, token.value)->status == TokenStatus::active);
  REQUIRE(cache.hits() == 1);

  REQUIRE(tokens.expire(token.value));
  CHECK(find_in(tokens, token.value)->status == TokenStatus::expired);
}

TEST_CASE("A token ACTIVE at issue is answered from memory, ended or not",
          "[postgres][token_cache]") {
  PostgresQueue q;
  TrustedByHand replica(q);
  auto& [cache, known_users, tokens] = replica;
  const auto issued = issue_in(tokens);
  REQUIRE(issued.ok());
  REQUIRE(issued->token.status == TokenStatus::active);
  CHECK(find_in(tokens, issued->token.value)->user_id == issued->token.user_id);
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 0);

  // Ended by another replica: this one is told by the end's notification in the service; here
  // by hand. Memory refuses it from then on, and the database answers EXPIRED.
  REQUIRE(q.tokens.expire(issued->token.value));
  cache.forget_ended(issued->token.value);
  CHECK(find_in(tokens, issued->token.value)->status == TokenStatus::expired);
  CHECK(cache.misses() == 1);
}

TEST_CASE("A token WAITING at issue is not kept in memory", "[postgres][token_cache]") {
  PostgresQueue q;  // capacity 3
  TrustedByHand replica(q);
  auto& [cache, known_users, tokens] = replica;
  for (int i = 0; i < 3; ++i) REQUIRE(issue_in(tokens)->token.status == TokenStatus::active);
  const auto waiting = issue_in(tokens);
  REQUIRE(waiting->token.status == TokenStatus::waiting);
  CHECK(cache.size() == 3);
  CHECK(find_in(tokens, waiting->token.value)->status == TokenStatus::waiting);
  CHECK(cache.misses() == 1);
}

TEST_CASE("Users minted or found are answered from memory, unknown ones from the database",
          "[postgres]") {
  PostgresQueue q;
  ticketing::RememberedStrings known_users(100);
  PostgresUserRepository users(q.pool, known_users);
  PostgresTokenRepository tokens(q.pool, q.clock(), q.cache, known_users);
  const auto minted_here = issue_in(tokens)->token.user_id;
  CHECK(known_users.contains(minted_here));

  const auto minted_elsewhere = q.issue().token.user_id;
  REQUIRE_FALSE(known_users.contains(minted_elsewhere));
  CHECK(users.exists(minted_elsewhere));  // from the database
  CHECK(known_users.contains(minted_elsewhere));

  const std::string stranger = "123e4567-e89b-42d3-a456-426614174000";
  CHECK_FALSE(users.exists(stranger));
  CHECK_FALSE(known_users.contains(stranger));
  CHECK(known_users.size() == 2);

  // What memory holds is not asked of the database again (a user only memory knows of, here).
  known_users.remember(stranger);
  CHECK(users.exists(stranger));
}

TEST_CASE("Both ways of ending a token announce it on the channel", "[postgres][token_cache]") {
  PostgresQueue q;
  pqxx::connection connection(q.url());
  EndChannel channel(connection);
  const auto active = q.issue().token;  // ends by end_active_token
  q.issue();
  q.issue();
  const auto waiting = q.issue().token;  // ends by lock_token and end_token
  REQUIRE(waiting.status == TokenStatus::waiting);
  q.tokens.expire(active.value);
  q.tokens.expire(waiting.value);
  CHECK(eventually([&] {
    connection.await_notification(0, 100'000);
    return channel.payloads.size() >= 2;
  }));
  CHECK(channel.payloads == std::vector<std::string>{active.value, waiting.value});
}

TEST_CASE("A lost listener connection empties the cache until it listens again",
          "[postgres][token_cache]") {
  PostgresQueue q;
  REQUIRE(eventually([&] { return q.cache.trusted(); }));
  const auto token = q.issue().token;
  q.find_now(token.value);
  REQUIRE(q.cache.size() == 1);

  pqxx::connection admin(q.database.admin_url());
  pqxx::nontransaction(admin).exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'queue-token-end-listener' AND datname = current_database()");
  REQUIRE(eventually([&] { return !q.cache.trusted(); }));
  CHECK(q.cache.size() == 0);
  const auto misses = q.cache.misses();
  CHECK(q.find_now(token.value)->status == TokenStatus::active);  // from the database
  CHECK(q.cache.misses() == misses + 1);

  REQUIRE(eventually([&] { return q.cache.trusted(); }));  // reconnected, listening again
  q.find_now(token.value);
  const auto hits = q.cache.hits();
  CHECK(q.find_now(token.value)->status == TokenStatus::active);
  CHECK(q.cache.hits() == hits + 1);
}
