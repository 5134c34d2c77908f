#include "idempotency.hpp"

#include "errors.hpp"

namespace payment::http {

using ticketing::http::Response;

namespace {
Response replay(const StoredResponse& stored) {
  Response response;
  response.status = stored.status;
  response.body = stored.body;
  if (stored.status >= 400) response.content_type = "application/problem+json";
  response.headers.emplace_back("Idempotency-Replayed", "true");
  return response;
}
}  // namespace

Response Idempotency::keep_recalled(const KeyRef& ref, const Response& recalled) {
  const StoredResponse stored{recalled.status, recalled.body};
  store_.finish(ref, stored);
  return replay(stored);
}

Response Idempotency::respond(const ticketing::http::Request& request, std::string user_id,
                              std::string scope, const Run& run, const Recall& recall) {
  const auto header = request.header("Idempotency-Key");
  if (!header) return run({});
  if (!is_valid_idempotency_key(*header)) {
    return invalid_request("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  const KeyRef ref{std::move(user_id), std::move(scope), std::string(*header)};
  const auto request_fingerprint = fingerprint(request.body);
  const auto now = clock_();
  const auto stored = store_.claim(ref, request_fingerprint, now);
  const auto decision = decide_key(stored, request_fingerprint, now, abandoned_after_);
  switch (decision) {
    case KeyDecision::replay:
      return replay(*stored->response);
    case KeyDecision::reused:
      return problem_for(PaymentError::idempotency_key_reused);
    case KeyDecision::in_progress:
    case KeyDecision::take_over:
      // The first run may have made its effect and died before storing its answer.
      if (auto recalled = recall(ref.key); recalled && recalled->answer) {
        return keep_recalled(ref, *recalled->answer);
      }
      if (decision == KeyDecision::in_progress || !store_.take_over(ref, stored->started_at, now)) {
        return problem_for(PaymentError::idempotency_in_progress);
      }
      break;
    case KeyDecision::run:
      break;
  }
  Response response;
  try {
    response = run(ref.key);
  } catch (...) {
    store_.release(ref);
    throw;
  }
  if (response.status >= 500)
    store_.release(ref);
  else
    store_.finish(ref, {response.status, response.body});
  return response;
}

Response Idempotency::replay_only(const ticketing::http::Request& request, std::string user_id,
                                  std::string scope, const Recall& recall,
                                  const Response& refusal) {
  const auto header = request.header("Idempotency-Key");
  if (!header || !is_valid_idempotency_key(*header)) return refusal;
  const KeyRef ref{std::move(user_id), std::move(scope), std::string(*header)};
  const auto stored = store_.find(ref);
  if (stored && stored->fingerprint != fingerprint(request.body)) return refusal;
  const auto recalled = recall(ref.key);
  if (!recalled) return refusal;
  if (!recalled->answer) return problem_for(PaymentError::idempotency_in_progress);
  if (stored) return keep_recalled(ref, *recalled->answer);
  return replay({recalled->answer->status, recalled->answer->body});
}

}  // namespace payment::http
