#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/line.hpp"
#include "domain/token.hpp"

namespace queue {

struct AdmissionPolicy {
  std::chrono::seconds token_ttl;
  std::chrono::seconds abandon_after;
};

struct AdmissionReport {
  std::int64_t expired = 0;
  std::int64_t dropped = 0;
  std::int64_t admitted = 0;
};

struct DroppedPlace {
  std::int64_t sequence;  // increases with every drop, so replicas read only what is new
  std::int64_t place;
};

struct LineStatus {
  LineSettings settings;
  LineCounters counters;
  std::vector<DroppedPlace> new_drops;  // dropped after `since`, with place above served
};

// The line as a whole: settings, counters, the periodic admission pass and poll heartbeats.
class LineRepository {
 public:
  virtual ~LineRepository() = default;

  // Creates the line on first start; capacity follows `default_capacity` until an admin sets it.
  virtual void initialise(std::int64_t default_capacity) = 0;
  virtual LineSettings update_settings(std::optional<std::int64_t> capacity,
                                       std::optional<bool> paused) = 0;
  virtual LineStatus status(std::int64_t drops_since) = 0;
  // Marks these WAITING tokens as polled at `now` (batched heartbeats).
  virtual void record_polls(const std::vector<std::string>& token_values, TimePoint now) = 0;
  // One pass, serialised across replicas: expire lapsed ACTIVE tokens, drop abandoned WAITING
  // ones, admit waiting tokens in order of place up to the capacity.
  virtual AdmissionReport admit(const AdmissionPolicy& policy) = 0;
};

}  // namespace queue
