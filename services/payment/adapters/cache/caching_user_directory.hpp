#pragma once

#include <cstddef>
#include <string_view>

#include "application/ports/remote_services.hpp"
#include "ticketing/remembered_strings.hpp"

namespace payment {

// Remembers the users `inner` said exist: users are never deleted, so a yes stays true. A no
// is never remembered (the user may be minted a moment later), nor is a failure. Bounded: past
// `capacity` users the oldest remembered one is forgotten. Thread-safe; `inner` must outlive it
// and be thread-safe too, and is never called with the lock held.
class CachingUserDirectory final : public UserDirectory {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit CachingUserDirectory(UserDirectory& inner, std::size_t capacity = kDefaultCapacity)
      : inner_(inner), known_(capacity) {}

  bool exists(std::string_view user_id) override;
  std::size_t size() const { return known_.size(); }

 private:
  UserDirectory& inner_;
  ticketing::RememberedStrings known_;
};

}  // namespace payment
