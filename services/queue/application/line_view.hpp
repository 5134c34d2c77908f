#pragma once

#include <memory>
#include <mutex>

#include "domain/admission_rate.hpp"
#include "domain/line.hpp"
#include "ports/line_repository.hpp"

namespace queue {

// This replica's picture of the line, refreshed after every admission pass and read by every
// poll without touching the database. Readers get an immutable snapshot.
class LineView {
 public:
  // `poll_ceiling`: the longest pollAfterSeconds (domain poll_ceiling()).
  explicit LineView(std::chrono::seconds token_ttl, std::int64_t poll_ceiling = 19);

  std::shared_ptr<const LineSnapshot> snapshot() const;
  LineCounters counters() const;

  void refresh(LineRepository& line, TimePoint now);
  // Moves the served counter on when this replica admitted tokens itself (at issue), so its
  // own answers do not wait for the next refresh.
  void advance_served(std::int64_t served_place);

 private:
  std::mutex refresh_mutex_;  // refreshes (admission pass, line change heard) one at a time
  mutable std::mutex mutex_;
  std::shared_ptr<const LineSnapshot> snapshot_;
  LineCounters counters_;
  AdmissionRate rate_;
  std::int64_t last_drop_sequence_ = 0;
  std::chrono::seconds token_ttl_;
  std::int64_t poll_ceiling_;
};

}  // namespace queue
