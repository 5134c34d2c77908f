#include "internal_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/http/reply.hpp"
#include "ticketing/http/service.hpp"
#include "ticketing/json/writer.hpp"

namespace queue::http {

namespace {
Response with_code_header(Response response, std::string_view code) {
  response.headers.emplace_back("X-Problem-Code", std::string(code));
  return response;
}

std::string_view code_of(QueueError error) {
  switch (error) {
    case QueueError::token_expired:
      return "TOKEN_EXPIRED";
    case QueueError::token_not_active:
      return "TOKEN_NOT_ACTIVE";
    default:
      return "TOKEN_INVALID";
  }
}
}  // namespace

namespace {
Response verified_json(const VerifyToken::Result& verified) {
  if (!verified) return with_code_header(problem_for(verified.error()), code_of(verified.error()));
  const auto& token = verified->token;
  const auto expires_at = ticketing::format_rfc3339(*token.expires_at);
  ticketing::json::Writer w;
  w.begin_object()
      .field("userId", token.user_id)
      .field("status", to_string(token.status))
      .field("expiresAt", expires_at)
      .end_object();
  auto response = ticketing::http::json_response(200, w.take());
  response.headers.emplace_back("X-User-Id", token.user_id);
  response.headers.emplace_back("X-Token-Expires-At", expires_at);
  if (verified->ended) response.headers.emplace_back("X-Token-Ended", "true");
  return response;
}
}  // namespace

void handle_verify_token(VerifyToken& verify, const Request& request,
                         ticketing::http::Respond respond) {
  // Only the gateway's check of a payment sets this: an ended token may ask for its payment's
  // answer again, and the payment service refuses it anything else.
  const bool accept_ended = request.header("X-Accept-Ended-Token") == "true";
  verify.Execute(
      std::string(ticketing::http::bearer_token(request)), accept_ended,
      ticketing::http::reply_with<VerifyToken::Result>(std::move(respond), verified_json));
}

Response handle_expire_token(ExpireToken& expire, const Request& request) {
  auto token = expire.Execute(request.param("token"));
  if (!token) return ticketing::http::problem(404, "TOKEN_NOT_FOUND", "no token has this value");
  return ticketing::http::empty_response(204);
}

Response handle_lookup_user(LookupUser& lookup, const Request& request) {
  const auto user_id = request.param("userId");
  auto found = lookup.Execute(user_id);
  if (!found) return problem_for(found.error());
  ticketing::json::Writer w;
  w.begin_object().field("userId", user_id).end_object();
  return ticketing::http::json_response(200, w.take());
}

}  // namespace queue::http
