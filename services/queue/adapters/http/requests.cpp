#include "requests.hpp"

#include "ticketing/json/reader.hpp"

namespace queue::http {

ticketing::Result<IssueTokenCommand, std::string> parse_issue_token(std::string_view body) {
  ticketing::json::ObjectReader reader(body, /*empty_is_object=*/true);
  IssueTokenCommand command{reader.optional_string("userId")};
  if (auto error = reader.finish()) return ticketing::fail(*error);
  return command;
}

ticketing::Result<UpdateLineCommand, std::string> parse_update_line(std::string_view body) {
  ticketing::json::ObjectReader reader(body);
  UpdateLineCommand command{reader.optional_int("capacity"), reader.optional_bool("paused")};
  if (auto error = reader.finish()) return ticketing::fail(*error);
  if (command.capacity && (*command.capacity < 0 || *command.capacity > kMaxCapacity)) {
    return ticketing::fail("'capacity' must be an integer from 0 to " + std::to_string(kMaxCapacity));
  }
  return command;
}

std::string_view bearer_token(const ticketing::http::Request& request) {
  auto header = request.header("Authorization");
  if (!header) return {};
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

bool admin_key_matches(const ticketing::http::Request& request,
                       const std::optional<std::string>& admin_key) {
  if (!admin_key) return false;
  auto given = request.header("X-Admin-Key");
  if (!given || given->size() != admin_key->size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < admin_key->size(); ++i) {
    difference |= static_cast<unsigned char>((*given)[i] ^ (*admin_key)[i]);
  }
  return difference == 0;
}

}  // namespace queue::http
