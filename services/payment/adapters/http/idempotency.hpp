#pragma once

#include <chrono>
#include <functional>

#include "application/clock.hpp"
#include "application/ports/idempotency_store.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

namespace payment::http {

// Runs `run` at most once per Idempotency-Key (per user and endpoint): a repeat with the same key
// and body replays the first response (status and body), the same key with another body is 422
// IDEMPOTENCY_KEY_REUSED, a repeat while the first still runs is 409 IDEMPOTENCY_IN_PROGRESS.
// Without the header, `run` simply runs. A 5xx answer is not kept: the request may be retried.
class Idempotency {
 public:
  Idempotency(IdempotencyStore& store, ClockFn clock, std::chrono::seconds abandoned_after)
      : store_(store), clock_(std::move(clock)), abandoned_after_(abandoned_after) {}

  ticketing::http::Response respond(const ticketing::http::Request& request, std::string user_id,
                                    std::string scope,
                                    const std::function<ticketing::http::Response()>& run);

 private:
  IdempotencyStore& store_;
  ClockFn clock_;
  std::chrono::seconds abandoned_after_;
};

}  // namespace payment::http
