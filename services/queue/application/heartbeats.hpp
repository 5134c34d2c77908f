#pragma once

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace queue {

// Tokens polled since the last admission pass. Polls only append here; the pass writes them to
// the database in one statement, so a poll never waits for a database write.
class Heartbeats {
 public:
  void record(std::string token_value) {
    std::lock_guard lock(mutex_);
    polled_.insert(std::move(token_value));
  }

  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> taken(polled_.begin(), polled_.end());
    polled_.clear();
    return taken;
  }

 private:
  std::mutex mutex_;
  std::unordered_set<std::string> polled_;  // a token polled twice is written once
};

}  // namespace queue
