// Issuing tokens in PostgreSQL: places, admission at issue, batches and replicas.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "adapters/postgres/issue_batch.hpp"
#include "postgres_queue.hpp"

using namespace queue;
using namespace std::chrono_literals;
using namespace queue::testing;

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

TEST_CASE("A returning user asking twice in one batch gets one new token, in both answers",
          "[postgres]") {
  PostgresQueue q;
  const auto first = q.issue();
  const auto user = first.token.user_id;
  // The user's token has ended: the next issue makes a new one.
  q.pool.write([&](pqxx::work& txn) {
    txn.exec_params("UPDATE tokens SET status = 'EXPIRED', ended_at = now() WHERE token = $1",
                    first.token.value);
  });
  const std::vector<IssueRequest> twice{
      {user, ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s},
      {user, ticketing::RandomIds::uuid_v4(), ticketing::RandomIds::hex128(), 600s}};
  const auto answers =
      q.pool.write([&](pqxx::work& txn) { return sql::issue_batch(txn, twice, q.clock()); });
  REQUIRE(answers.size() == 2);
  REQUIRE(answers[0].ok());
  REQUIRE(answers[1].ok());
  CHECK(answers[0]->created);
  CHECK_FALSE(answers[1]->created);
  CHECK(answers[0]->token.value == twice[0].token_value);
  // The second answer is a copy of the first, whole: never a token with its strings moved out.
  CHECK(answers[1]->token.value == twice[0].token_value);
  CHECK(answers[1]->token.user_id == user);
  CHECK(answers[1]->token.place == answers[0]->token.place);
}
