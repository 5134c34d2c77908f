#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "application/clock.hpp"
#include "domain/token.hpp"

namespace queue {

struct ActiveTokenCacheLimits {
  std::size_t max_entries = 50'000;     // ~130 bytes each
  std::size_t max_tombstones = 20'000;  // ~120 bytes each; past it fills are refused, not wrong
  std::chrono::seconds tombstone_ttl{60};
};

// ACTIVE tokens in memory, so the gateway's check of each gated request skips the database; why
// that is safe: services/README.md, "Memory in front of the database".
class ActiveTokenCache {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
  using Stamp = std::uint64_t;

  using Limits = ActiveTokenCacheLimits;

  explicit ActiveTokenCache(
      ClockFn clock, Limits limits = {},
      SteadyClock steady = [] { return std::chrono::steady_clock::now(); });

  // The token if it is kept, ACTIVE and not lapsed; nullopt (a miss) otherwise or untrusted.
  std::optional<Token> find(const std::string& value);
  // Take before reading the database; give the same stamp to fill().
  Stamp stamp();
  // Keeps an ACTIVE, unlapsed token read after `stamp`, unless an end may have overtaken it.
  void fill(const Token& token, Stamp stamp);
  // The token has ended: drop it and refuse it to lookups already under way.
  void forget_ended(const std::string& value);

  // The listener is confirmed listening now; trust the cache for `lease` from now.
  void trust_for(std::chrono::milliseconds lease);
  // The listener is not listening: drop everything, answer misses until trusted again.
  void distrust();
  bool trusted();

  std::size_t size();
  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  using TokenKey = std::array<char, 32>;  // a token: 32 hex digits (the schema checks)
  using UserId = std::array<char, 36>;    // a canonical UUID
  struct KeyHash {
    std::size_t operator()(const TokenKey& key) const {
      return std::hash<std::string_view>{}(std::string_view(key.data(), key.size()));
    }
  };
  static std::optional<TokenKey> key_of(std::string_view value);

  // The token's value is the key; what else the Token holds.
  struct Entry {
    UserId user_id;
    std::int64_t place = 0;
    TimePoint expires_at;
    std::int64_t arrival_number = 0;  // 0: not an early token
  };
  struct Tombstone {
    Stamp sequence;
    std::chrono::steady_clock::time_point at;
    TokenKey value;
  };

  // With the lock held.
  bool trusted_locked() const;
  void prune_tombstones();
  void make_room();

  ClockFn clock_;
  Limits limits_;
  SteadyClock steady_;

  std::mutex mutex_;
  std::unordered_map<TokenKey, Entry, KeyHash> entries_;
  std::unordered_map<TokenKey, Stamp, KeyHash> tombstones_;  // -> sequence of its latest end
  std::deque<Tombstone> tombstone_log_;                      // oldest first, for pruning
  Stamp sequence_ = 0;                                       // the latest event's number
  Stamp unchecked_before_ = 0;  // fills stamped before this cannot be checked: refused
  std::chrono::steady_clock::time_point trusted_until_ =
      std::chrono::steady_clock::time_point::min();  // untrusted until the listener listens
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace queue
