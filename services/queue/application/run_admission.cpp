#include "run_admission.hpp"

namespace queue {

AdmissionReport RunAdmission::Execute() {
  const auto polled = heartbeats_.take();
  if (!polled.empty()) {
    try {
      line_.record_polls(polled, clock_());
    } catch (...) {
      // Keep them for the next pass: a lost heartbeat could drop a visitor who is still here.
      for (const auto& token : polled) heartbeats_.record(token);
      throw;
    }
  }
  // Asked every pass, so the line learns a sell-out within one admission interval.
  if (seats_ != nullptr) line_.record_seats(seats_->counts(), clock_());
  const auto report = line_.admit(policy_);
  view_.refresh(line_, clock_());
  return report;
}

}  // namespace queue
