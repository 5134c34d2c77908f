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
    return ticketing::fail("'capacity' must be an integer from 0 to " +
                           std::to_string(kMaxCapacity));
  }
  return command;
}

}  // namespace queue::http
