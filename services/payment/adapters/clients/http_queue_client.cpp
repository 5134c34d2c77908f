#include "adapters/clients/http_queue_client.hpp"

#include <rapidjson/document.h>

#include <string>
#include <utility>

#include "ticketing/errors.hpp"

namespace payment {

using ticketing::http::Method;

namespace {

// A 200 must name the user asked about.
bool names_user(std::string_view body, std::string_view user_id) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  const auto found = doc.FindMember("userId");
  return found != doc.MemberEnd() && found->value.IsString() &&
         std::string_view(found->value.GetString(), found->value.GetStringLength()) == user_id;
}

}  // namespace

HttpQueueClient::HttpQueueClient(ticketing::http::ClientOptions options, RequestIdSource request_id,
                                 const ticketing::log::Logger* logger)
    : client_(std::move(options)), request_id_(std::move(request_id)), logger_(logger) {}

bool HttpQueueClient::exists(std::string_view user_id) {
  // An empty segment would miss the route (404 NOT_FOUND): no user has an empty id.
  if (user_id.empty()) return false;
  const auto request_id = request_id_ ? request_id_() : std::string();
  const auto reply = client_.send(Method::get, "/internal/v1/users/" + peer::path_segment(user_id),
                                  {}, request_id);
  const auto unavailable = [&](const std::string& why) {
    return ticketing::DependencyUnavailable("queue service: looking up a user: " + why);
  };
  if (!reply) throw unavailable(peer::describe(reply));
  if (reply->status == 200) {
    if (!names_user(reply->body, user_id))
      throw unavailable("malformed 200 response: no matching 'userId'");
    return true;
  }
  const auto code = peer::problem_code(reply->body);
  if ((reply->status == 404 && code == "USER_NOT_FOUND") ||
      (reply->status == 400 && code == "INVALID_USER_ID")) {
    return false;
  }
  throw unavailable("unexpected " + peer::describe(reply));
}

bool HttpQueueClient::expire(std::string_view token) {
  // No token, nothing to expire (an empty segment would miss the route).
  if (token.empty()) return true;
  const auto request_id = request_id_ ? request_id_() : std::string();
  const auto reply = client_.send(
      Method::post, "/internal/v1/tokens/" + peer::path_segment(token) + "/expire", {}, request_id);
  if (reply && reply->status == 204) return true;
  if (reply && reply->status == 404 && peer::problem_code(reply->body) == "TOKEN_NOT_FOUND") {
    return true;
  }
  if (logger_ != nullptr) {
    logger_->warn("queue_token_expiry_failed", [&](auto& w) {
      w.field("requestId", request_id).field("reason", peer::describe(reply));
    });
  }
  return false;
}

}  // namespace payment
