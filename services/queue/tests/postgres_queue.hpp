#pragma once

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

// A migrated queue schema in a throwaway database and the PostgreSQL adapters over it, for the
// tests of the PostgreSQL adapters.

namespace queue::testing {

using namespace std::chrono_literals;

// Asks the repository and waits for the answer.
inline std::optional<Token> find_in(TokenRepository& tokens, const std::string& token) {
  std::promise<ticketing::Completed<std::optional<Token>>> promise;
  tokens.find(token, [&](auto done) { promise.set_value(std::move(done)); });
  return promise.get_future().get().get();
}

// Issues a token through the repository (to a new user by default) and waits for the answer.
inline IssueResult issue_in(TokenRepository& tokens,
                            std::optional<std::string> user = std::nullopt) {
  std::promise<ticketing::Completed<IssueResult>> promise;
  tokens.issue(
      {std::move(user), ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s},
      [&](ticketing::Completed<IssueResult> done) { promise.set_value(std::move(done)); });
  return promise.get_future().get().get();
}

// True once `condition` holds, false if it still does not after `limit`.
template <class Condition>
inline bool eventually(Condition condition, std::chrono::milliseconds limit = 3000ms) {
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

}  // namespace queue::testing
