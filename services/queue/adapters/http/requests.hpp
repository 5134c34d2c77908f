#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "application/issue_token.hpp"
#include "application/manage_line.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/result.hpp"

namespace queue::http {

// Request parsing, one small function per body shape; errors are messages for INVALID_REQUEST.
ticketing::Result<IssueTokenCommand, std::string> parse_issue_token(std::string_view body);
ticketing::Result<UpdateLineCommand, std::string> parse_update_line(std::string_view body);

}  // namespace queue::http
