#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace ticketing {

// A set of strings that forgets its oldest one past `capacity`, for facts that never stop being
// true once learnt (a user id that exists: users are never deleted). Thread-safe: many readers
// at once, one writer.
class RememberedStrings {
 public:
  explicit RememberedStrings(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  bool contains(std::string_view value) const {
    std::shared_lock lock(mutex_);
    return known_.find(value) != known_.end();
  }

  void remember(std::string_view value) {
    std::unique_lock lock(mutex_);
    auto [it, inserted] = known_.emplace(value);
    if (!inserted) return;
    order_.push_back(&*it);
    while (order_.size() > capacity_) {
      // Always found; the check keeps GCC's -Wnull-dereference quiet at -O3.
      if (auto oldest = known_.find(*order_.front()); oldest != known_.end()) known_.erase(oldest);
      order_.pop_front();
    }
  }

  // True when `value` is remembered; otherwise what ask() answers, a yes remembered. ask() runs
  // without the lock held.
  template <class Ask>
  bool remembered_or(std::string_view value, Ask&& ask) {
    if (contains(value)) return true;
    if (!ask()) return false;
    remember(value);
    return true;
  }

  std::size_t size() const {
    std::shared_lock lock(mutex_);
    return known_.size();
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_set<std::string, Hash, std::equal_to<>> known_;
  // Insertion order, oldest first. Elements of an unordered_set keep their address until erased.
  std::deque<const std::string*> order_;
};

}  // namespace ticketing
