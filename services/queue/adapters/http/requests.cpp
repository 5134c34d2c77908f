#include "requests.hpp"

#include "rfc3339.hpp"
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
  UpdateLineCommand command{reader.optional_int("capacity"), reader.optional_bool("paused"), {}};
  const bool opening_given = reader.present("opensAt");
  const auto opens_at_text = reader.optional_string("opensAt");
  if (auto error = reader.finish()) return ticketing::fail(*error);
  if (opens_at_text) {
    const auto opens_at = parse_rfc3339(*opens_at_text);
    if (!opens_at) return ticketing::fail(std::string("'opensAt' must be an RFC 3339 date-time or null"));
    command.opens_at = std::optional<TimePoint>(*opens_at);
  } else if (opening_given) {
    command.opens_at = std::optional<TimePoint>();  // null: open now
  }
  if (command.capacity && (*command.capacity < 0 || *command.capacity > kMaxCapacity)) {
    return ticketing::fail("'capacity' must be an integer from 0 to " +
                           std::to_string(kMaxCapacity));
  }
  return command;
}

}  // namespace queue::http
