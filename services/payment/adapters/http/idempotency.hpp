#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "application/clock.hpp"
#include "application/ports/idempotency_store.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

namespace payment::http {

// Runs a request at most once per Idempotency-Key, user and endpoint; replays, refusals and
// recall from the effect's key: services/README.md, "The payment saga and idempotency".
class Idempotency {
 public:
  using Response = ticketing::http::Response;
  // Runs the request; gets the key (empty without the header) to write on its effect.
  using Run = std::function<Response(std::string_view key)>;
  // What a first run under the key left in its effect: its answer, or (no answer) an effect
  // still being settled; nullopt: no effect.
  struct Recalled {
    std::optional<Response> answer;
  };
  using Recall = std::function<std::optional<Recalled>(std::string_view key)>;

  Idempotency(IdempotencyStore& store, ClockFn clock, std::chrono::seconds abandoned_after)
      : store_(store), clock_(std::move(clock)), abandoned_after_(abandoned_after) {}

  Response respond(const ticketing::http::Request& request, std::string user_id, std::string scope,
                   const Run& run, const Recall& recall);

  // Only replays: the first answer under the request's key (same body) as `recall` finds it,
  // 409 IDEMPOTENCY_IN_PROGRESS while its effect is being settled, else `refusal`. Nothing runs.
  Response replay_only(const ticketing::http::Request& request, std::string user_id,
                       std::string scope, const Recall& recall, const Response& refusal);

 private:
  // Keeps a recalled answer as the key's response, and answers it as a replay.
  Response keep_recalled(const KeyRef& ref, const Response& recalled);

  IdempotencyStore& store_;
  ClockFn clock_;
  std::chrono::seconds abandoned_after_;
};

}  // namespace payment::http
