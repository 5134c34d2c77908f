#include "errors.hpp"

#include "ticketing/http/problem.hpp"

namespace queue::http {

using ticketing::http::problem;
using ticketing::http::Response;

namespace {
Response unauthorized(std::string_view code, std::string_view detail) {
  auto response = problem(401, code, detail);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}
}  // namespace

Response problem_for(QueueError error) {
  switch (error) {
    case QueueError::invalid_user_id:
      return problem(400, "INVALID_USER_ID", "userId must be a UUID in canonical lowercase form");
    case QueueError::user_not_found:
      return problem(404, "USER_NOT_FOUND", "no user has this id");
    case QueueError::token_invalid:
      return unauthorized("TOKEN_INVALID", "a valid 'Authorization: Bearer <token>' is required");
    case QueueError::token_expired:
      return unauthorized("TOKEN_EXPIRED", "the queue token has expired; ask for a new one");
    case QueueError::token_not_active:
      return problem(403, "TOKEN_NOT_ACTIVE", "the queue token is still waiting to be admitted");
  }
  return problem(500, "INTERNAL_ERROR", "unexpected error");
}

Response invalid_request(std::string_view detail) {
  return problem(400, "INVALID_REQUEST", detail);
}

}  // namespace queue::http
