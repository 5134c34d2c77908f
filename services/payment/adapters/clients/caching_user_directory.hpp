#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "application/ports/remote_services.hpp"

namespace payment {

// Remembers the users `inner` said exist: users are never deleted, so a yes stays true. A no
// is never remembered (the user may be minted a moment later), nor is a failure. Bounded: past
// `capacity` users the oldest remembered one is forgotten. Thread-safe; `inner` must outlive it
// and be thread-safe too, and is never called with the lock held.
class CachingUserDirectory final : public UserDirectory {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit CachingUserDirectory(UserDirectory& inner, std::size_t capacity = kDefaultCapacity);

  bool exists(std::string_view user_id) override;

  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  void remember(std::string_view user_id);

  UserDirectory& inner_;
  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_set<std::string, Hash, std::equal_to<>> known_;
  // Insertion order for eviction. Elements of an unordered_set keep their address until erased.
  std::deque<const std::string*> order_;
};

}  // namespace payment
