// The known-user cache, alone and in front of the queue client.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_peer.hpp"

using namespace std::chrono_literals;
using namespace payment::testing;

namespace {

// An in-process directory that counts its calls: yes for names starting with "known".
class CountingDirectory final : public payment::UserDirectory {
 public:
  bool exists(std::string_view user_id) override {
    calls.fetch_add(1);
    if (failing.load()) throw DependencyUnavailable("queue down");
    return user_id.substr(0, 5) == "known";
  }
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
};

}  // namespace

TEST_CASE("cache: a known user is asked once, an unknown one every time", "[clients][cache]") {
  auto queue = fake_queue();
  queue.script("/internal/v1/users/u1", json_response(200, "{\"userId\":\"u1\"}"));
  queue.script("/internal/v1/users/u2", problem(404, "USER_NOT_FOUND", "no user has this id"));
  payment::HttpQueueClient client(queue.options());
  payment::CachingUserDirectory cache(client);

  CHECK(cache.exists("u1"));
  CHECK(cache.exists("u1"));
  CHECK(cache.exists("u1"));
  CHECK(queue.calls("/internal/v1/users/u1") == 1);

  CHECK_FALSE(cache.exists("u2"));
  CHECK_FALSE(cache.exists("u2"));
  CHECK(queue.calls("/internal/v1/users/u2") == 2);
  // Minted meanwhile: the earlier no was not remembered.
  queue.script("/internal/v1/users/u2", json_response(200, "{\"userId\":\"u2\"}"));
  CHECK(cache.exists("u2"));
  CHECK(cache.exists("u2"));
  CHECK(queue.calls("/internal/v1/users/u2") == 3);
  CHECK(cache.size() == 2);
}

TEST_CASE("cache: failures pass through and are not remembered", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner);
  inner.failing = true;
  CHECK_THROWS_AS(cache.exists("known-1"), DependencyUnavailable);
  inner.failing = false;
  CHECK(cache.exists("known-1"));
  CHECK(inner.calls == 2);
  // Once known, the user is answered even while the queue service is down.
  inner.failing = true;
  CHECK(cache.exists("known-1"));
  CHECK(inner.calls == 2);
}

TEST_CASE("cache: bounded, the oldest known user is forgotten first", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner, 2);
  CHECK(cache.exists("known-a"));
  CHECK(cache.exists("known-b"));
  CHECK(cache.exists("known-c"));  // evicts a
  CHECK(cache.size() == 2);
  CHECK(inner.calls == 3);
  CHECK(cache.exists("known-b"));
  CHECK(cache.exists("known-c"));
  CHECK(inner.calls == 3);
  CHECK(cache.exists("known-a"));  // asked again; evicts b
  CHECK(inner.calls == 4);
  CHECK(cache.exists("known-b"));
  CHECK(inner.calls == 5);
  CHECK(cache.size() == 2);
}

TEST_CASE("cache: 16 threads at once over HTTP", "[clients][cache]") {
  auto queue = fake_queue();
  constexpr int kKnown = 20;
  for (int i = 0; i < kKnown; ++i) {
    const auto id = "known-" + std::to_string(i);
    queue.script("/internal/v1/users/" + id, json_response(200, "{\"userId\":\"" + id + "\"}"));
  }
  queue.script("/internal/v1/users/stranger",
               problem(404, "USER_NOT_FOUND", "no user has this id"));
  payment::HttpQueueClient client(queue.options());
  payment::CachingUserDirectory cache(client);

  constexpr int kThreads = 16;
  constexpr int kRounds = 60;
  std::atomic<int> wrong{0};
  std::atomic<int> stranger_asks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const int pick = (t * 7 + round) % (kKnown + 1);
        if (pick == kKnown) {
          stranger_asks.fetch_add(1);
          if (cache.exists("stranger")) wrong.fetch_add(1);
        } else if (!cache.exists("known-" + std::to_string(pick))) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(wrong == 0);
  CHECK(cache.size() == kKnown);
  CHECK(queue.calls("/internal/v1/users/stranger") ==
        static_cast<std::size_t>(stranger_asks.load()));
  for (int i = 0; i < kKnown; ++i) {
    // Each thread misses a user at most once: after its own answer the user is remembered.
    const auto calls = queue.calls("/internal/v1/users/known-" + std::to_string(i));
    CHECK(calls >= 1);
    CHECK(calls <= static_cast<std::size_t>(kThreads));
  }
}

TEST_CASE("cache: 16 threads racing evictions on a tiny cache", "[clients][cache]") {
  CountingDirectory inner;
  payment::CachingUserDirectory cache(inner, 8);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto id = (i % 5 == 0 ? "nobody-" : "known-") + std::to_string((t + i) % 50);
        if (cache.exists(id) != (id.rfind("known", 0) == 0)) wrong.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(cache.size() <= 8);
}
