#include "line_view.hpp"

#include <algorithm>

namespace queue {

LineView::LineView(std::chrono::seconds token_ttl, std::int64_t poll_ceiling)
    : snapshot_(std::make_shared<LineSnapshot>()),
      token_ttl_(token_ttl),
      poll_ceiling_(poll_ceiling) {
  auto first = std::make_shared<LineSnapshot>();
  first->token_ttl = token_ttl_;
  first->poll_ceiling = poll_ceiling_;
  snapshot_ = std::move(first);
}

std::shared_ptr<const LineSnapshot> LineView::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

LineCounters LineView::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void LineView::refresh(LineRepository& line, TimePoint now) {
  std::lock_guard one_at_a_time(refresh_mutex_);
  std::int64_t since;
  {
    std::lock_guard lock(mutex_);
    since = last_drop_sequence_;
  }
  LineStatus status = line.status(since);

  std::lock_guard lock(mutex_);
  auto next = std::make_shared<LineSnapshot>();
  next->served_place = status.counters.served_place;
  next->settings = status.settings;
  next->token_ttl = token_ttl_;
  next->poll_ceiling = poll_ceiling_;
  if (status.opening.pending) next->opens_at = status.opening.opens_at;
  next->sold_out = status.seats && sold_out(*status.seats);
  // Keep the known drops still ahead of the served counter, merge the new ones in order.
  const auto& known = *snapshot_->dropped_places;
  auto dropped = std::make_shared<std::vector<std::int64_t>>();
  dropped->reserve(known.size() + status.new_drops.size());
  for (auto place : known) {
    if (place > next->served_place) dropped->push_back(place);
  }
  for (const auto& drop : status.new_drops) {
    last_drop_sequence_ = std::max(last_drop_sequence_, drop.sequence);
    if (drop.place > next->served_place) dropped->push_back(drop.place);
  }
  std::sort(dropped->begin(), dropped->end());
  dropped->erase(std::unique(dropped->begin(), dropped->end()), dropped->end());
  next->dropped_places = std::move(dropped);
  rate_.sample(now, status.counters.admitted_total);
  next->admissions_per_second = rate_.per_second();
  counters_ = status.counters;
  snapshot_ = std::move(next);
}

void LineView::advance_served(std::int64_t served_place) {
  std::lock_guard lock(mutex_);
  if (served_place <= snapshot_->served_place) return;
  auto next = std::make_shared<LineSnapshot>(*snapshot_);
  next->served_place = served_place;
  snapshot_ = std::move(next);
}

}  // namespace queue
