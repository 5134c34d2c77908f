#include "active_token_cache.hpp"

#include <algorithm>

namespace queue {

ActiveTokenCache::ActiveTokenCache(ClockFn clock, Limits limits, SteadyClock steady)
    : clock_(std::move(clock)), limits_(limits), steady_(std::move(steady)) {}

std::optional<ActiveTokenCache::TokenKey> ActiveTokenCache::key_of(std::string_view value) {
  TokenKey key;
  if (value.size() != key.size()) return std::nullopt;
  std::copy(value.begin(), value.end(), key.begin());
  return key;
}

std::optional<Token> ActiveTokenCache::find(const std::string& value) {
  if (const auto key = key_of(value)) {
    const std::lock_guard lock(mutex_);
    const auto it = trusted_locked() ? entries_.find(*key) : entries_.end();
    if (it != entries_.end()) {
      const Entry& entry = it->second;
      if (clock_() < entry.expires_at) {
        hits_.fetch_add(1, std::memory_order_relaxed);
        return Token{value, std::string(entry.user_id.begin(), entry.user_id.end()),
                     TokenStatus::active, entry.place, entry.expires_at,
                     entry.arrival_number ? std::optional(entry.arrival_number) : std::nullopt};
      }
      entries_.erase(it);  // lapsed: the database has the last word, as without a cache
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return std::nullopt;
}

ActiveTokenCache::Stamp ActiveTokenCache::stamp() {
  const std::lock_guard lock(mutex_);
  return sequence_;
}

void ActiveTokenCache::fill(const Token& token, Stamp stamp) {
  if (token.status != TokenStatus::active || !token.expires_at || has_lapsed(token, clock_()))
    return;
  const auto key = key_of(token.value);
  Entry entry{{}, token.place, *token.expires_at, token.arrival_number.value_or(0)};
  if (!key || token.user_id.size() != entry.user_id.size()) return;
  std::copy(token.user_id.begin(), token.user_id.end(), entry.user_id.begin());
  const std::lock_guard lock(mutex_);
  if (!trusted_locked()) return;
  prune_tombstones();
  if (stamp < unchecked_before_ || tombstones_.contains(*key)) return;
  if (entries_.size() >= limits_.max_entries && !entries_.contains(*key)) make_room();
  entries_.insert_or_assign(*key, entry);
}

void ActiveTokenCache::forget_ended(const std::string& value) {
  const auto key = key_of(value);
  if (!key) return;  // never kept, and no fill of it can be under way
  const std::lock_guard lock(mutex_);
  entries_.erase(*key);
  const Stamp sequence = ++sequence_;
  tombstones_.insert_or_assign(*key, sequence);
  tombstone_log_.push_back({sequence, steady_(), *key});
  prune_tombstones();
}

void ActiveTokenCache::trust_for(std::chrono::milliseconds lease) {
  const std::lock_guard lock(mutex_);
  if (!trusted_locked()) {
    // Ends may have gone unheard while untrusted: start empty, and refuse what lookups that
    // began before now read.
    entries_.clear();
    unchecked_before_ = ++sequence_;
  }
  trusted_until_ = steady_() + lease;
}

void ActiveTokenCache::distrust() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
  trusted_until_ = std::chrono::steady_clock::time_point::min();
}

bool ActiveTokenCache::trusted() {
  const std::lock_guard lock(mutex_);
  return trusted_locked();
}

std::size_t ActiveTokenCache::size() {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

bool ActiveTokenCache::trusted_locked() const { return steady_() < trusted_until_; }

void ActiveTokenCache::prune_tombstones() {
  const auto now = steady_();
  while (!tombstone_log_.empty() && (tombstone_log_.size() > limits_.max_tombstones ||
                                     now - tombstone_log_.front().at >= limits_.tombstone_ttl)) {
    const Tombstone& oldest = tombstone_log_.front();
    const auto it = tombstones_.find(oldest.value);
    if (it != tombstones_.end() && it->second == oldest.sequence) tombstones_.erase(it);
    // Lookups stamped before this end can no longer be checked against it.
    unchecked_before_ = std::max(unchecked_before_, oldest.sequence);
    tombstone_log_.pop_front();
  }
}

void ActiveTokenCache::make_room() {
  const TimePoint now = clock_();
  std::erase_if(entries_, [&](const auto& item) { return item.second.expires_at <= now; });
  // Still mostly live tokens: start again, rather than scan again on the next fill.
  if (entries_.size() > limits_.max_entries / 4 * 3) entries_.clear();
}

}  // namespace queue
