// Idempotency keys in PostgreSQL: claims, take-overs, release and purge.
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "postgres_payment.hpp"

using namespace payment;
using namespace std::chrono_literals;
using namespace payment::testing;

TEST_CASE("An idempotency key is claimed once, then answers with its record", "[postgres]") {
  PostgresPayment p;
  const KeyRef ref{user(), "charge", "key-1"};
  CHECK_FALSE(p.keys.claim(ref, "print-a", kStart));
  auto stored = p.keys.claim(ref, "print-b", kStart + 1s);
  REQUIRE(stored);
  CHECK(stored->fingerprint == "print-a");  // the first claim's body
  CHECK_FALSE(stored->response);
  CHECK(stored->started_at == kStart);

  // Keys are per user and per endpoint.
  CHECK_FALSE(p.keys.claim({ref.user_id, "payment", "key-1"}, "print-a", kStart));
  CHECK_FALSE(p.keys.claim({user(), "charge", "key-1"}, "print-a", kStart));

  // The first response is kept and replayed; a second finish does not replace it.
  p.keys.finish(ref, {200, R"({"userId":"x","balance":5})"});
  p.keys.finish(ref, {500, "other"});
  stored = p.keys.claim(ref, "print-a", kStart + 2s);
  REQUIRE(stored);
  REQUIRE(stored->response);
  CHECK(stored->response->status == 200);
  CHECK(stored->response->body == R"({"userId":"x","balance":5})");
  CHECK(stored->started_at == kStart);
}

TEST_CASE("An abandoned key is taken over once, release and purge forget keys", "[postgres]") {
  PostgresPayment p;
  const KeyRef ref{user(), "payment", "key-1"};
  REQUIRE_FALSE(p.keys.claim(ref, "print", kStart));
  CHECK_FALSE(p.keys.take_over(ref, kStart + 1us, kStart + 60s));  // not the start it has
  CHECK(p.keys.take_over(ref, kStart, kStart + 60s));
  CHECK_FALSE(p.keys.take_over(ref, kStart, kStart + 61s));  // someone else already did
  auto stored = p.keys.claim(ref, "print", kStart + 62s);
  REQUIRE(stored);
  CHECK(stored->started_at == kStart + 60s);

  // Release forgets an unfinished key: the next claim runs again.
  p.keys.release(ref);
  CHECK_FALSE(p.keys.claim(ref, "print", kStart + 70s));
  // A finished key is neither taken over nor released.
  p.keys.finish(ref, {201, "{}"});
  CHECK_FALSE(p.keys.take_over(ref, kStart + 70s, kStart + 200s));
  p.keys.release(ref);
  stored = p.keys.claim(ref, "print", kStart + 80s);
  REQUIRE(stored);
  REQUIRE(stored->response);
  CHECK(stored->response->status == 201);

  const KeyRef later{ref.user_id, "charge", "key-2"};
  REQUIRE_FALSE(p.keys.claim(later, "print", kStart + 24h));
  CHECK(p.keys.purge_before(kStart + 70s) == 0);  // started exactly then: kept
  CHECK(p.keys.purge_before(kStart + 71s) == 1);
  CHECK(p.keys.purge_before(kStart + 71s) == 0);
  CHECK_FALSE(p.keys.claim(ref, "print", kStart + 25h));  // forgotten: runs again
  auto kept = p.keys.claim(later, "print", kStart + 25h);
  REQUIRE(kept);
  CHECK(kept->started_at == kStart + 24h);
}

TEST_CASE("Concurrent claims of one key: exactly one runs, concurrent take-overs: one wins",
          "[postgres][race]") {
  PostgresPayment p;
  p.warm_pool();
  const auto owner = user();
  for (int round = 0; round < 5; ++round) {
    const KeyRef ref{owner, "payment", "key-" + std::to_string(round)};
    std::atomic<int> ran{0}, saw_record{0};
    std::atomic<int> winner{-1};
    std::mutex mutex;
    std::vector<std::string> prints;
    test_support::race(20, [&](int index) {
      auto stored = p.keys.claim(ref, "print-" + std::to_string(index), kStart);
      if (!stored) {
        ++ran;
        winner = index;
        return;
      }
      ++saw_record;
      std::lock_guard lock(mutex);
      prints.push_back(stored->fingerprint);
    });
    CHECK(ran == 1);
    CHECK(saw_record == 19);
    for (const auto& print : prints) CHECK(print == "print-" + std::to_string(winner.load()));

    std::atomic<int> took{0};
    test_support::race(10, [&](int index) {
      if (p.keys.take_over(ref, kStart, kStart + 60s + std::chrono::seconds(index))) ++took;
    });
    CHECK(took == 1);
  }
}
