// ACTIVE tokens and known users in memory, kept right by the PostgreSQL adapters' ends.
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
