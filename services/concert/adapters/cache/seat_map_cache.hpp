#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "application/ports/catalog.hpp"

namespace concert {

// Seat maps of recently asked dates, so a crowd costs one read per date and `ttl`; freshness and
// races: services/README.md, "Memory in front of the database".
class SeatMapCache {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::size_t kDefaultMaxDates = 4096;

  struct Stamp {
    std::uint64_t epoch = 0;    // invalidate_all() calls
    std::uint64_t version = 0;  // invalidate(date) calls for the date
  };

  explicit SeatMapCache(
      std::chrono::milliseconds ttl, std::size_t max_dates = kDefaultMaxDates,
      SteadyClock clock = [] { return std::chrono::steady_clock::now(); });

  bool enabled() const { return ttl_.count() > 0; }

  // The date's map if one younger than ttl is kept.
  std::optional<SeatMap> find(const CalendarDate& date);
  // Take before reading the database; give the same stamp to store().
  Stamp stamp(const CalendarDate& date);
  // Keeps `map` unless its date was invalidated since `stamp` was taken.
  void store(const SeatMap& map, Stamp stamp);

  void invalidate(const CalendarDate& date);
  void invalidate_all();

  std::size_t size();
  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    SeatMap map;
    std::chrono::steady_clock::time_point stored_at;
  };

  std::chrono::milliseconds ttl_;
  std::size_t max_dates_;
  SteadyClock clock_;
  std::mutex mutex_;
  std::uint64_t epoch_ = 0;
  std::unordered_map<int, std::uint64_t> versions_;  // by CalendarDate::days()
  std::unordered_map<int, Entry> entries_;           // by CalendarDate::days()
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace concert
