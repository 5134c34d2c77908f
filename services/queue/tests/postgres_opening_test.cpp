// The opening's draw (product-spec.md, "Sale day") against a real PostgreSQL: its HMAC-SHA256,
// the early crowd's places, and the uniformity of the order.
#include <random>

#include "application/line_view.hpp"
#include "domain/token_state.hpp"
#include "chi_square.hpp"
#include "postgres_queue.hpp"

using namespace queue;
using namespace queue::testing;

namespace {

std::string one_text(PostgresQueue& q, const std::string& query) {
  pqxx::connection connection(q.url());
  pqxx::nontransaction txn(connection);
  txn.exec("SET search_path = queue");
  return txn.exec1(query)[0].as<std::string>();
}

Seed seed_of(std::uint8_t first) {
  Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return seed;
}

std::string hex(const Seed& seed) {
  std::string out;
  for (auto byte : seed) {
    constexpr char kHex[] = "0123456789abcdef";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

// Places of the early tokens by arrival number, read from the database (an early token's row
// holds its drawn place only once written for another reason: place_in_line reads either).
std::map<std::int64_t, std::int64_t> places_by_arrival(PostgresQueue& q) {
  pqxx::connection connection(q.url());
  pqxx::nontransaction txn(connection);
  std::map<std::int64_t, std::int64_t> places;
  for (const auto& row : txn.exec(
           "SELECT arrival_number, queue.place_in_line(t) FROM queue.tokens t "
           "WHERE arrival_number IS NOT NULL")) {
    places[row[0].as<std::int64_t>()] = row[1].is_null() ? 0 : row[1].as<std::int64_t>();
  }
  return places;
}

// A line of `capacity` that opens at `opens_at` with the seed `seed`, and `count` new visitors
// issued before it.
std::vector<IssueOutcome> early_crowd(PostgresQueue& q, std::int64_t capacity, TimePoint opens_at,
                                      const Seed& seed, int count) {
  q.line.update_settings(capacity, std::nullopt);
  q.line.set_opening(opens_at, seed);
  std::vector<IssueOutcome> early;
  for (int i = 0; i < count; ++i) early.push_back(q.issue());
  return early;
}

}  // namespace

TEST_CASE("hmac_sha256 in SQL gives the RFC 4231 test vectors", "[opening]") {
  PostgresQueue q;
  // Test case 1: a 20-byte key of 0x0b, "Hi There".
  CHECK(one_text(q, "SELECT encode(hmac_sha256(decode(repeat('0b', 20), 'hex'), "
                    "convert_to('Hi There', 'UTF8')), 'hex')") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: key "Jefe".
  CHECK(one_text(q, "SELECT encode(hmac_sha256(convert_to('Jefe', 'UTF8'), "
                    "convert_to('what do ya want for nothing?', 'UTF8')), 'hex')") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a 131-byte key, hashed first.
  CHECK(one_text(q, "SELECT encode(hmac_sha256(decode(repeat('aa', 131), 'hex'), "
                    "convert_to('Test Using Larger Than Block-Size Key - Hash Key First', "
                    "'UTF8')), 'hex')") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("Early tokens wait without a place, and the draw places them once, in the HMAC order",
          "[opening]") {
  PostgresQueue q;
  q.line.update_settings(2, std::nullopt);
  const auto seed = seed_of(7);
  const auto opens_at = std::chrono::floor<std::chrono::seconds>(q.now.load()) + 60s;
  q.line.set_opening(opens_at, seed);
  LineView view(600s);

  // Early visitors: new users (one SQL call) and a returning user (the C++ batch path).
  std::vector<IssueOutcome> early;
  for (int i = 0; i < 5; ++i) early.push_back(q.issue());
  const auto returning = early[1].token.user_id;
  REQUIRE(q.tokens.expire(early[1].token.value));  // leaves before the opening, asks again
  early.push_back(q.issue(returning));
  for (std::size_t i = 0; i < early.size(); ++i) {
    CHECK(early[i].token.status == TokenStatus::waiting);
    CHECK(early[i].token.place == 0);
    CHECK(early[i].token.arrival_number == static_cast<std::int64_t>(i + 1));
  }
  view.refresh(q.line, q.now);
  const auto before = describe(early[0].token, *view.snapshot(), q.now);
  CHECK_FALSE(before.position);
  CHECK(before.opens_at == opens_at);
  CHECK(q.line.admit({600s, 3600s}).admitted == 0);  // nobody before the opening
  CHECK(q.line.admit({600s, 3600s}).drawn == -1);
  auto published = q.line.opening();
  REQUIRE(published);
  CHECK_FALSE(published->seed);
  CHECK(published->early_count == 6);

  q.now = opens_at + 1s;
  const auto pass = q.line.admit({600s, 3600s});
  CHECK(pass.drawn == 6);
  CHECK(pass.admitted == 2);
  CHECK(q.line.admit({600s, 3600s}).drawn == -1);  // once

  // The places follow HMAC-SHA256(seed, arrival number) ascending, as published.
  published = q.line.opening();
  REQUIRE(published->seed == hex(seed));
  pqxx::connection connection(q.url());
  pqxx::nontransaction txn(connection);
  std::vector<std::int64_t> expected;
  for (const auto& row : txn.exec("SELECT a FROM generate_series(1, 6) AS a ORDER BY "
                                  "queue.hmac_sha256(decode('" + hex(seed) +
                                  "', 'hex'), convert_to(a::text, 'UTF8'))")) {
    expected.push_back(row[0].as<std::int64_t>());
  }
  const auto places = places_by_arrival(q);
  for (std::size_t rank = 0; rank < expected.size(); ++rank) {
    INFO("arrival number " << expected[rank]);
    CHECK(places.at(expected[rank]) == static_cast<std::int64_t>(rank + 1));
  }

  // Later tokens queue behind the early crowd; positions skip the early token that left.
  const auto later = q.issue();
  CHECK(later.token.place == 7);
  CHECK_FALSE(later.token.arrival_number);
  view.refresh(q.line, q.now);
  const auto state = describe(*q.find_now(later.token.value), *view.snapshot(), q.now);
  CHECK(state.position == 4);  // 6 early: 2 admitted, 1 left before the opening, 3 ahead
}

TEST_CASE("A token issued after the opening time finds the draw made before it is placed",
          "[opening]") {
  PostgresQueue q;
  const auto opens_at = q.now.load() + 10s;
  early_crowd(q, 0, opens_at, seed_of(1), 4);
  q.now = opens_at;  // no admission pass has run since
  const auto later = q.issue();
  CHECK(later.token.place == 5);
  CHECK_FALSE(later.token.arrival_number);
  const auto places = places_by_arrival(q);
  std::set<std::int64_t> early_places;
  for (const auto& [arrival, place] : places) early_places.insert(place);
  CHECK(early_places == std::set<std::int64_t>{1, 2, 3, 4});
}

TEST_CASE("Moving a pending opening keeps its seed, and null opens it now", "[opening]") {
  PostgresQueue q;
  q.line.set_opening(q.now.load() + 100s, seed_of(3));
  const auto first = q.line.opening();
  const auto later = std::chrono::floor<std::chrono::seconds>(q.now.load()) + 200s;
  q.line.set_opening(later, seed_of(9));
  const auto moved = q.line.opening();
  CHECK(moved->seed_sha256 == first->seed_sha256);
  CHECK(moved->opens_at == later);
  q.issue();
  q.line.set_opening(std::nullopt, seed_of(9));
  CHECK(q.line.admit({600s, 3600s}).drawn == 1);
  // A new opening after the draw takes the fresh seed.
  q.line.set_opening(q.now.load() + 100s, seed_of(9));
  CHECK(q.line.opening()->seed_sha256 != first->seed_sha256);
  CHECK_FALSE(q.line.opening()->seed);
}

TEST_CASE("The draw is uniform: every place equally likely for every token (chi-square)",
          "[opening]") {
  PostgresQueue q;
  constexpr int kTokens = 8;
  constexpr std::int64_t kRounds = 20'000;
  // Many draws of a small crowd through the function the line uses, each with its own seed.
  pqxx::connection connection(q.url());
  pqxx::nontransaction txn(connection);
  const auto salt = ticketing::RandomIds::hex128();
  std::vector<std::vector<std::int64_t>> counts(kTokens, std::vector<std::int64_t>(kTokens, 0));
  for (const auto& row : txn.exec(
           "SELECT d.arrival_number, d.drawn_place FROM generate_series(1, " +
           std::to_string(kRounds) + ") AS s, queue.drawn_order(sha256(decode('" + salt +
           "', 'hex') || int8send(s)), " + std::to_string(kTokens) + ") AS d")) {
    ++counts[row[0].as<std::size_t>() - 1][row[1].as<std::size_t>() - 1];
  }
  const auto test = uniformity(counts, kRounds);
  INFO("chi-square " << test.statistic << " with " << test.degrees_of_freedom << " df, p "
                     << test.p_value);
  CHECK(test.p_value >= 1e-6);
}

TEST_CASE("The chi-square test catches a biased shuffle", "[opening]") {
  // The classic mistake: swap each element with any element (not one at or after it), which
  // makes n^n equally likely paths over n! orders, so some orders are likelier.
  constexpr int kTokens = 8;
  constexpr std::int64_t kRounds = 20'000;
  std::mt19937_64 random(20261224);
  std::vector<std::vector<std::int64_t>> counts(kTokens, std::vector<std::int64_t>(kTokens, 0));
  for (std::int64_t round = 0; round < kRounds; ++round) {
    std::vector<int> order(kTokens);
    for (int i = 0; i < kTokens; ++i) order[static_cast<std::size_t>(i)] = i;
    for (int i = 0; i < kTokens; ++i) {
      std::uniform_int_distribution<int> any(0, kTokens - 1);
      std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(any(random))]);
    }
    for (int place = 0; place < kTokens; ++place) {
      ++counts[static_cast<std::size_t>(order[static_cast<std::size_t>(place)])]
              [static_cast<std::size_t>(place)];
    }
  }
  const auto test = uniformity(counts, kRounds);
  INFO("chi-square " << test.statistic << ", p " << test.p_value);
  CHECK(test.p_value < 1e-6);
  // And the function itself: a fair table's statistic near its degrees of freedom passes.
  CHECK(upper_gamma_q(49 / 2.0, 49 / 2.0) > 0.4);
  CHECK(upper_gamma_q(49 / 2.0, 120 / 2.0) < 1e-6);
}

TEST_CASE("The draw writes no early token's row, yet admission, ends and drops read its places",
          "[opening]") {
  PostgresQueue q;
  const auto opens_at = q.now.load() + 60s;
  const auto early = early_crowd(q, 1, opens_at, seed_of(5), 8);
  q.now = opens_at + 1s;
  REQUIRE(q.line.admit({600s, 3600s}).drawn == 8);

  // Only the admitted token (place 1) and the last place's (for issue's clock) were written.
  CHECK(one_text(q, "SELECT count(place) FROM tokens WHERE arrival_number IS NOT NULL") == "2");
  const auto places = places_by_arrival(q);
  std::map<std::int64_t, std::string> by_place;  // drawn place -> token value
  for (const auto& outcome : early) {
    const auto found = q.find_now(outcome.token.value);
    REQUIRE(found);
    CHECK(found->place == places.at(*outcome.token.arrival_number));  // read through the draw
    by_place[found->place] = outcome.token.value;
  }
  REQUIRE(by_place.size() == 8);
  CHECK(q.find_now(by_place.at(1))->status == TokenStatus::active);

  // Place 3 leaves: its drawn place is vacated, positions and admission skip it.
  REQUIRE(q.tokens.expire(by_place.at(3)));
  const auto later = q.issue();
  CHECK(later.token.place == 9);
  LineView view(600s);
  view.refresh(q.line, q.now);
  CHECK(describe(*q.find_now(later.token.value), *view.snapshot(), q.now).position == 7);
  q.line.update_settings(3, std::nullopt);
  CHECK(q.line.admit({600s, 3600s}).admitted == 2);
  CHECK(q.find_now(by_place.at(2))->status == TokenStatus::active);
  CHECK(q.find_now(by_place.at(4))->status == TokenStatus::active);
  CHECK(q.find_now(by_place.at(5))->status == TokenStatus::waiting);

  // Abandoned early tokens are dropped with their drawn places, recorded for positions.
  q.now = q.now.load() + 2s;
  q.line.update_settings(0, std::nullopt);
  CHECK(q.line.admit({600s, 1s}).dropped == 5);  // places 5..8 and the later token
  CHECK(one_text(q, "SELECT count(*) FROM tokens WHERE status = 'DROPPED' AND place IS NULL") ==
        "0");
  // (place 3's record was pruned once the served place passed it)
  CHECK(one_text(q, "SELECT string_agg(place::text, ',' ORDER BY place) FROM dropped_places") ==
        "5,6,7,8,9");
}
