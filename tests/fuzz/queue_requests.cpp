// The queue's request parsers (services/queue/adapters/http/requests.cpp) on any body, against
// what the strict reader must accept: one JSON object with only the endpoint's fields, of their
// types, each at most once (a blank body issues a token for a new user).
#include <rapidjson/document.h>

#include "adapters/http/requests.hpp"
#include "check.hpp"

namespace {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void check_issue_token(std::string_view body) {
  const auto parsed = queue::http::parse_issue_token(body);
  if (blank(body)) {
    fuzz::require(parsed && !parsed.value().user_id, "a blank body issues for a new user");
    return;
  }
  rapidjson::Document document;
  const auto found = fuzz::members(document, body, {"userId"});
  const auto user = found ? fuzz::utf8_text(*found, "userId") : std::nullopt;
  const bool valid = found && (!found->contains("userId") || user);
  fuzz::require(parsed.ok() == valid, "issue-token bodies: accepted exactly when valid");
  if (parsed) fuzz::require(parsed.value().user_id == user, "the userId is the body's");
}

void check_update_line(std::string_view body) {
  const auto parsed = queue::http::parse_update_line(body);
  rapidjson::Document document;
  const auto found = fuzz::members(document, body, {"capacity", "paused"});
  bool valid = found.has_value();
  std::optional<std::int64_t> capacity;
  std::optional<bool> paused;
  if (found && found->contains("capacity")) {
    capacity = fuzz::integer(*found, "capacity");
    valid = valid && capacity && *capacity >= 0 && *capacity <= queue::kMaxCapacity;
  }
  if (found && found->contains("paused")) {
    const auto* value = found->at("paused");
    valid = valid && value->IsBool();
    if (value->IsBool()) paused = value->GetBool();
  }
  fuzz::require(parsed.ok() == valid, "update-line bodies: accepted exactly when valid");
  if (!parsed) return;
  fuzz::require(parsed.value().capacity == capacity && parsed.value().paused == paused,
                "the line update is the body's");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = fuzz::text_of(data, size);
  check_issue_token(body);
  check_update_line(body);
  return 0;
}
