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

Response Idempotency::respond(const ticketing::http::Request& request, std::string user_id,
                              std::string scope, const std::function<Response()>& run) {
  const auto header = request.header("Idempotency-Key");
  if (!header) return run();
  if (!is_valid_idempotency_key(*header)) {
    return invalid_request("Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  const KeyRef ref{std::move(user_id), std::move(scope), std::string(*header)};
  const auto request_fingerprint = fingerprint(request.body);
  const auto now = clock_();
  const auto stored = store_.claim(ref, request_fingerprint, now);
  switch (decide_key(stored, request_fingerprint, now, abandoned_after_)) {
    case KeyDecision::replay:
      return replay(*stored->response);
    case KeyDecision::in_progress:
      return problem_for(PaymentError::idempotency_in_progress);
    case KeyDecision::reused:
      return problem_for(PaymentError::idempotency_key_reused);
    case KeyDecision::take_over:
      if (!store_.take_over(ref, stored->started_at, now)) {
        return problem_for(PaymentError::idempotency_in_progress);
      }
      break;
    case KeyDecision::run:
      break;
  }
  Response response;
  try {
    response = run();
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

}  // namespace payment::http
