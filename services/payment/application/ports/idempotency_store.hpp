#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/idempotency.hpp"

namespace payment {

// Which keyed request: keys are per user and per endpoint.
struct KeyRef {
  std::string user_id;
  std::string scope;  // "charge" or "payment"
  std::string key;
};

// Idempotency keys and the first response to each, kept at least 24 hours.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  // Atomically: the record under `ref`, or, when there is none, a new in-progress record with
  // `fingerprint` started at `now` (and nullopt is returned: the caller runs the request).
  virtual std::optional<IdempotencyRecord> claim(const KeyRef& ref, std::string_view fingerprint,
                                                 TimePoint now) = 0;
  // The record under `ref`, if any; claims nothing.
  virtual std::optional<IdempotencyRecord> find(const KeyRef& ref) = 0;
  // Restarts an abandoned in-progress record; false if another caller took it over first.
  virtual bool take_over(const KeyRef& ref, TimePoint started_at, TimePoint now) = 0;
  virtual void finish(const KeyRef& ref, const StoredResponse& response) = 0;
  // Forgets an in-progress record whose run ended without an answer worth replaying (the
  // service was unavailable): a retry runs again.
  virtual void release(const KeyRef& ref) = 0;
  // Removes records older than `before`; returns how many.
  virtual int purge_before(TimePoint before) = 0;
};

}  // namespace payment
