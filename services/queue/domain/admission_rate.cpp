#include "admission_rate.hpp"

namespace queue {

void AdmissionRate::sample(ticketing::TimePoint at, std::int64_t admitted_total) {
  samples_.push_back({at, admitted_total});
  // Keep one sample at or beyond the window's start so the rate spans the whole window.
  while (samples_.size() > 2 && samples_[1].at <= at - window_) samples_.pop_front();
}

double AdmissionRate::per_second() const {
  if (samples_.size() < 2) return 0;
  const auto& oldest = samples_.front();
  const auto& newest = samples_.back();
  const double seconds = std::chrono::duration<double>(newest.at - oldest.at).count();
  if (seconds < 1.0) return 0;
  const auto admitted = newest.admitted_total - oldest.admitted_total;
  return admitted > 0 ? static_cast<double>(admitted) / seconds : 0;
}

}  // namespace queue
