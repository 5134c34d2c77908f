#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "points.hpp"

namespace payment {

// An Idempotency-Key is 1..255 visible ASCII characters.
bool is_valid_idempotency_key(std::string_view key);

// A stable fingerprint of a request body (FNV-1a, 16 hex digits): the same key with another
// body is refused.
std::string fingerprint(std::string_view body);

// The first response to a keyed request, kept at least 24 hours.
struct StoredResponse {
  int status = 0;
  std::string body;
};

struct IdempotencyRecord {
  std::string fingerprint;
  std::optional<StoredResponse> response;  // nullopt while the first request still runs
  TimePoint started_at;
};

// What a request with a key does given what is stored under it.
enum class KeyDecision {
  run,          // nothing stored: run it (and store the response)
  replay,       // same body, finished: answer the stored response
  in_progress,  // same body, still running: 409 IDEMPOTENCY_IN_PROGRESS
  reused,       // another body: 422 IDEMPOTENCY_KEY_REUSED
  take_over,    // same body, started so long ago its process must have died: run it again
};

// A request whose first run has not finished within `abandoned_after` is taken over: its
// process died (the run is idempotent by reservation, so running again is safe).
KeyDecision decide_key(const std::optional<IdempotencyRecord>& stored,
                       std::string_view request_fingerprint, TimePoint now,
                       std::chrono::seconds abandoned_after);

}  // namespace payment
