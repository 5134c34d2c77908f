// The in-memory cache of ACTIVE tokens, on clocks the test moves (see ActiveTokenCache).
#include <catch2/catch.hpp>

#include "adapters/cache/active_token_cache.hpp"

using namespace queue;
using namespace std::chrono_literals;

namespace {

// A cache with small limits, trusted as a listening listener would keep it.
struct CacheOnClocks {
  explicit CacheOnClocks(ActiveTokenCache::Limits limits = {4, 3, 60s})
      : cache([this] { return now; }, limits, [this] { return steady; }) {
    cache.trust_for(1h);
  }

  Token active(std::string value, std::chrono::seconds left = 300s) const {
    return Token{std::move(value), "11111111-1111-4111-8111-111111111111", TokenStatus::active, 7,
                 now + left, {}};
  }

  // A database read of an ACTIVE token: stamped before, filled after.
  void read_and_fill(const Token& token) { cache.fill(token, cache.stamp()); }

  TimePoint now = ticketing::Clock::now();
  std::chrono::steady_clock::time_point steady{};
  ActiveTokenCache cache;
};

const std::string kA(32, 'a');
const std::string kB(32, 'b');

}  // namespace

TEST_CASE("A filled ACTIVE token is answered from memory as it was read", "[token_cache]") {
  CacheOnClocks c;
  CHECK_FALSE(c.cache.find(kA));
  const Token token = c.active(kA);
  c.read_and_fill(token);
  const auto found = c.cache.find(kA);
  REQUIRE(found);
  CHECK(found->value == kA);
  CHECK(found->user_id == token.user_id);
  CHECK(found->status == TokenStatus::active);
  CHECK(found->place == 7);
  CHECK(found->expires_at == token.expires_at);
  CHECK(c.cache.hits() == 1);
  CHECK(c.cache.misses() == 1);
}

TEST_CASE("Only ACTIVE tokens with time left are kept", "[token_cache]") {
  CacheOnClocks c;
  Token waiting = c.active(kA);
  waiting.status = TokenStatus::waiting;
  waiting.expires_at.reset();
  c.read_and_fill(waiting);
  Token expired = c.active(kB);
  expired.status = TokenStatus::expired;
  c.read_and_fill(expired);
  c.read_and_fill(c.active(std::string(32, 'c'), 0s));  // lapses this very instant
  CHECK(c.cache.size() == 0);
}

TEST_CASE("A cached token lapses at its expiry and is then a miss", "[token_cache]") {
  CacheOnClocks c;
  c.read_and_fill(c.active(kA, 10s));
  c.now += 9s;
  CHECK(c.cache.find(kA));
  c.now += 1s;
  CHECK_FALSE(c.cache.find(kA));
  CHECK(c.cache.size() == 0);
}

TEST_CASE("An ended token is forgotten and a read that started before its end is refused",
          "[token_cache]") {
  CacheOnClocks c;
  c.read_and_fill(c.active(kA));
  c.cache.forget_ended(kA);
  CHECK_FALSE(c.cache.find(kA));

  // A lookup read ACTIVE, then the end was committed and forgotten, then the lookup fills.
  const auto stamp = c.cache.stamp();
  c.cache.forget_ended(kB);
  c.cache.fill(c.active(kB), stamp);
  CHECK_FALSE(c.cache.find(kB));
  // While the tombstone is kept, no fill brings the token back, whenever its read started.
  c.read_and_fill(c.active(kB));
  CHECK_FALSE(c.cache.find(kB));
}

TEST_CASE("Once a tombstone is pruned, reads stamped before its end are still refused",
          "[token_cache]") {
  CacheOnClocks c;
  const auto before_end = c.cache.stamp();
  c.cache.forget_ended(kA);
  c.steady += 61s;  // past the tombstone's time; pruned on the next fill
  c.cache.fill(c.active(kA), before_end);
  CHECK_FALSE(c.cache.find(kA));
  // A read that started after the end was pruned cannot have seen the ended token as ACTIVE
  // (tokens never come back), so the cache takes what it read.
  c.read_and_fill(c.active(kB));
  CHECK(c.cache.find(kB));
}

TEST_CASE("Tombstones are bounded, and pushing one out refuses older reads", "[token_cache]") {
  CacheOnClocks c;  // at most 3 tombstones
  const auto before_ends = c.cache.stamp();
  for (char name : std::string("defg")) c.cache.forget_ended(std::string(32, name));
  const auto after_ends = c.cache.stamp();
  c.cache.fill(c.active(kA), before_ends);  // the first end was pushed out: cannot be checked
  CHECK_FALSE(c.cache.find(kA));
  c.cache.fill(c.active(kA), after_ends);
  CHECK(c.cache.find(kA));
}

TEST_CASE("Untrusted, the cache answers misses and keeps nothing", "[token_cache]") {
  ActiveTokenCache fresh(ticketing::Clock::now);
  CHECK_FALSE(fresh.trusted());  // nobody listens yet
  const Token token{kA, "u", TokenStatus::active, 1, ticketing::Clock::now() + 300s, {}};
  fresh.fill(token, fresh.stamp());
  CHECK(fresh.size() == 0);
  CHECK_FALSE(fresh.find(kA));

  CacheOnClocks c;
  c.read_and_fill(c.active(kA));
  const auto before_outage = c.cache.stamp();
  c.cache.distrust();  // the listener lost its connection
  CHECK(c.cache.size() == 0);
  CHECK_FALSE(c.cache.find(kA));
  c.read_and_fill(c.active(kA));
  CHECK(c.cache.size() == 0);

  c.cache.trust_for(3s);  // listening again: ends during the outage went unheard
  c.cache.fill(c.active(kA), before_outage);
  CHECK_FALSE(c.cache.find(kA));
  c.read_and_fill(c.active(kA));
  CHECK(c.cache.find(kA));
}

TEST_CASE("Trust lapses when the listener stops renewing it, and returns empty", "[token_cache]") {
  CacheOnClocks c;
  c.cache.trust_for(3s);
  c.read_and_fill(c.active(kA));
  c.steady += 2s;
  CHECK(c.cache.find(kA));
  c.cache.trust_for(3s);  // renewed in time: entries stay
  c.steady += 2s;
  CHECK(c.cache.find(kA));
  c.steady += 1s;  // no renewal for 3 s: the connection may hang
  CHECK_FALSE(c.cache.trusted());
  CHECK_FALSE(c.cache.find(kA));
  c.cache.trust_for(3s);
  CHECK(c.cache.trusted());
  CHECK(c.cache.size() == 0);
  CHECK_FALSE(c.cache.find(kA));
}

TEST_CASE("The number of entries is bounded, lapsed ones going first", "[token_cache]") {
  CacheOnClocks c;  // at most 4 entries
  c.read_and_fill(c.active(std::string(32, '1'), 5s));
  c.read_and_fill(c.active(std::string(32, '2'), 5s));
  c.read_and_fill(c.active(std::string(32, '3')));
  c.read_and_fill(c.active(std::string(32, '4')));
  c.now += 5s;
  c.read_and_fill(c.active(std::string(32, '5')));  // the two lapsed ones make room
  CHECK(c.cache.size() == 3);
  CHECK(c.cache.find(std::string(32, '3')));
  CHECK(c.cache.find(std::string(32, '5')));

  c.read_and_fill(c.active(std::string(32, '6')));
  c.read_and_fill(c.active(std::string(32, '7')));  // full of live tokens: starts again
  CHECK(c.cache.size() <= 4);
  CHECK(c.cache.find(std::string(32, '7')));
  for (char name : std::string("abcdefghij")) c.read_and_fill(c.active(std::string(32, name)));
  CHECK(c.cache.size() <= 4);
}

TEST_CASE("Values that cannot be a token or a user id are never kept", "[token_cache]") {
  CacheOnClocks c;
  const std::string short_value(31, 'a');
  c.read_and_fill(c.active(short_value));
  Token odd_user = c.active(kA);
  odd_user.user_id = "not-a-uuid";
  c.read_and_fill(odd_user);
  CHECK(c.cache.size() == 0);
  CHECK_FALSE(c.cache.find(short_value));
  CHECK_FALSE(c.cache.find(kA));
  c.cache.forget_ended(short_value);  // nothing to forget

  c.read_and_fill(c.active(kA));
  CHECK(c.cache.find(kA));
  CHECK_FALSE(c.cache.find(kA + "0"));  // a longer value is another token
}
