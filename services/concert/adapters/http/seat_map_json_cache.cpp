#include "seat_map_json_cache.hpp"

#include "views.hpp"

namespace concert::http {

std::string SeatMapJsonCache::json_of(const SeatMapView& view) {
  const int key = view.date.days();
  {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it != entries_.end() && it->second.view == view) return it->second.json;
  }
  std::string json = seat_map_json(view);  // outside the lock: other dates need not wait
  const std::lock_guard lock(mutex_);
  if (entries_.size() >= max_dates_ && !entries_.contains(key)) entries_.clear();
  entries_.insert_or_assign(key, Entry{view, json});
  return json;
}

std::size_t SeatMapJsonCache::size() {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace concert::http
