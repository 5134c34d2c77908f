#include "in_memory_queue_store.hpp"

namespace queue {

void InMemoryQueueStore::find(std::string token_value, FindCallback done) {
  std::optional<Token> found;
  {
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(token_value);
    if (it != tokens_.end()) found = it->second.token;
  }
  done(ticketing::Completed<std::optional<Token>>::with(std::move(found)));
}

void InMemoryQueueStore::end(Row& row, TokenStatus status) {
  if (row.token.status == TokenStatus::active) --counters_.active;
  if (row.token.status == TokenStatus::waiting) {
    --counters_.waiting;
    waiting_by_place_.erase(row.token.place);
  }
  live_by_user_.erase(row.token.user_id);
  row.token.status = status;
}

void InMemoryQueueStore::issue(const IssueRequest& request, IssueCallback done) {
  done(ticketing::Completed<IssueResult>::with(issue_now(request)));
}

IssueResult InMemoryQueueStore::issue_now(const IssueRequest& request) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_();
  std::string user_id = request.user_id.value_or(request.new_user_id);
  if (request.user_id) {
    if (!users_.contains(user_id)) return ticketing::fail(QueueError::user_not_found);
    if (auto live = live_by_user_.find(user_id); live != live_by_user_.end()) {
      auto& row = tokens_.at(live->second);
      if (is_live(row.token, now)) {
        return IssueOutcome{row.token, false, counters_.served_place};
      }
      end(row, TokenStatus::expired);
      ++counters_.expired_total;
    }
  } else {
    users_.insert(user_id);
  }
  Token token{request.token_value, user_id, TokenStatus::waiting, ++counters_.last_place, {}, {}};
  if (admit_on_arrival(settings_, counters_, 1) == 1) {
    token.status = TokenStatus::active;
    token.expires_at = now + request.token_ttl;
    ++counters_.active;
    ++counters_.admitted_total;
    counters_.served_place = token.place;
  } else {
    ++counters_.waiting;
    waiting_by_place_[token.place] = token.value;
  }
  live_by_user_[user_id] = token.value;
  tokens_[token.value] = Row{token, now};
  return IssueOutcome{token, true, counters_.served_place};
}

std::optional<Token> InMemoryQueueStore::expire(std::string_view token_value) {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(std::string(token_value));
  if (it == tokens_.end()) return std::nullopt;
  auto& row = it->second;
  if (row.token.status == TokenStatus::active || row.token.status == TokenStatus::waiting) {
    // A waiting token that leaves no longer stands ahead of anyone.
    if (row.token.status == TokenStatus::waiting) {
      drops_.push_back({static_cast<std::int64_t>(drops_.size()) + 1, row.token.place});
    }
    end(row, TokenStatus::expired);
    ++counters_.expired_total;
  }
  return row.token;
}

bool InMemoryQueueStore::exists(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  return users_.contains(user_id);
}

void InMemoryQueueStore::initialise(std::int64_t default_capacity) {
  std::lock_guard lock(mutex_);
  if (!capacity_set_by_admin_) settings_.capacity = default_capacity;
}

LineSettings InMemoryQueueStore::update_settings(std::optional<std::int64_t> capacity,
                                                 std::optional<bool> paused) {
  std::lock_guard lock(mutex_);
  if (capacity) {
    settings_.capacity = *capacity;
    capacity_set_by_admin_ = true;
  }
  if (paused) settings_.paused = *paused;
  return settings_;
}

void InMemoryQueueStore::set_opening(std::optional<TimePoint> opens_at, const Seed&) {
  std::lock_guard lock(mutex_);
  opens_at_ = opens_at.value_or(clock_());
}

std::optional<PublishedOpening> InMemoryQueueStore::opening() {
  std::lock_guard lock(mutex_);
  if (!opens_at_) return std::nullopt;
  return PublishedOpening{*opens_at_, std::string(64, '0'), 0, std::string(64, '0')};
}

LineStatus InMemoryQueueStore::status(std::int64_t drops_since) {
  std::lock_guard lock(mutex_);
  LineStatus status{settings_, counters_, {}, {opens_at_, false, 0}, seats_};
  for (const auto& drop : drops_) {
    if (drop.sequence > drops_since && drop.place > counters_.served_place) {
      status.new_drops.push_back(drop);
    }
  }
  return status;
}

void InMemoryQueueStore::record_seats(const std::optional<SeatCounts>& seats, TimePoint) {
  std::lock_guard lock(mutex_);
  seats_ = seats;
  settings_.no_seat_available = seats && seats->available == 0;
}

void InMemoryQueueStore::record_polls(const std::vector<std::string>& token_values, TimePoint now) {
  std::lock_guard lock(mutex_);
  for (const auto& value : token_values) {
    auto it = tokens_.find(value);
    if (it != tokens_.end() && it->second.token.status == TokenStatus::waiting) {
      it->second.last_polled = now;
    }
  }
}

AdmissionReport InMemoryQueueStore::admit(const AdmissionPolicy& policy) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_();
  AdmissionReport report;
  for (auto& [value, row] : tokens_) {
    if (has_lapsed(row.token, now)) {
      end(row, TokenStatus::expired);
      ++report.expired;
    } else if (row.token.status == TokenStatus::waiting &&
               row.last_polled <= now - policy.abandon_after) {
      end(row, TokenStatus::dropped);
      drops_.push_back({static_cast<std::int64_t>(drops_.size()) + 1, row.token.place});
      ++report.dropped;
    }
  }
  for (auto slots = free_slots(settings_, counters_.active);
       slots > 0 && !waiting_by_place_.empty(); --slots) {
    auto next = waiting_by_place_.begin();
    auto& token = tokens_.at(next->second).token;
    token.status = TokenStatus::active;
    token.expires_at = now + policy.token_ttl;
    counters_.served_place = token.place;
    waiting_by_place_.erase(next);
    --counters_.waiting;
    ++counters_.active;
    ++report.admitted;
  }
  counters_.admitted_total += report.admitted;
  counters_.expired_total += report.expired;
  counters_.dropped_total += report.dropped;
  return report;
}

std::optional<TimePoint> InMemoryQueueStore::last_polled(std::string_view token_value) {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(std::string(token_value));
  if (it == tokens_.end()) return std::nullopt;
  return it->second.last_polled;
}

}  // namespace queue
