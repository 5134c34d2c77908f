#include "seat_map_cache.hpp"

namespace concert {

SeatMapCache::SeatMapCache(std::chrono::milliseconds ttl, std::size_t max_dates, SteadyClock clock)
    : ttl_(ttl), max_dates_(max_dates), clock_(std::move(clock)) {}

std::optional<SeatMap> SeatMapCache::find(const CalendarDate& date) {
  if (!enabled()) return std::nullopt;
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(date.days());
  if (it != entries_.end() && clock_() - it->second.stored_at < ttl_) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second.map;
  }
  if (it != entries_.end()) entries_.erase(it);
  misses_.fetch_add(1, std::memory_order_relaxed);
  return std::nullopt;
}

SeatMapCache::Stamp SeatMapCache::stamp(const CalendarDate& date) {
  const std::lock_guard lock(mutex_);
  const auto it = versions_.find(date.days());
  return {epoch_, it == versions_.end() ? 0 : it->second};
}

void SeatMapCache::store(const SeatMap& map, Stamp stamp) {
  if (!enabled()) return;
  const std::lock_guard lock(mutex_);
  const auto it = versions_.find(map.date.days());
  const std::uint64_t version = it == versions_.end() ? 0 : it->second;
  if (stamp.epoch != epoch_ || stamp.version != version) return;  // a write overtook the read
  // Many dates asked once each: start again rather than grow without bound.
  if (entries_.size() >= max_dates_ && !entries_.contains(map.date.days())) entries_.clear();
  entries_.insert_or_assign(map.date.days(), Entry{map, clock_()});
}

void SeatMapCache::invalidate(const CalendarDate& date) {
  const std::lock_guard lock(mutex_);
  ++versions_[date.days()];
  entries_.erase(date.days());
}

void SeatMapCache::invalidate_all() {
  const std::lock_guard lock(mutex_);
  ++epoch_;
  versions_.clear();  // the new epoch already refuses every older stamp
  entries_.clear();
}

std::size_t SeatMapCache::size() {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace concert
