#include "adapters/clients/caching_user_directory.hpp"

#include <mutex>

namespace payment {

CachingUserDirectory::CachingUserDirectory(UserDirectory& inner, std::size_t capacity)
    : inner_(inner), capacity_(capacity == 0 ? 1 : capacity) {}

bool CachingUserDirectory::exists(std::string_view user_id) {
  {
    std::shared_lock lock(mutex_);
    if (known_.find(user_id) != known_.end()) return true;
  }
  if (!inner_.exists(user_id)) return false;
  remember(user_id);
  return true;
}

std::size_t CachingUserDirectory::size() const {
  std::shared_lock lock(mutex_);
  return known_.size();
}

void CachingUserDirectory::remember(std::string_view user_id) {
  std::unique_lock lock(mutex_);
  // Another thread may have asked about the same user meanwhile.
  auto [it, inserted] = known_.emplace(user_id);
  if (!inserted) return;
  order_.push_back(&*it);
  while (order_.size() > capacity_) {
    // Always found; the check keeps GCC's -Wnull-dereference quiet at -O3.
    if (auto oldest = known_.find(*order_.front()); oldest != known_.end()) known_.erase(oldest);
    order_.pop_front();
  }
}

}  // namespace payment
