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

// The token of an "Authorization: Bearer <token>" header; empty when absent or another scheme.
std::string_view bearer_token(const ticketing::http::Request& request);

// Whether X-Admin-Key matches the configured key (compared in constant time); never true when
// no key is configured.
bool admin_key_matches(const ticketing::http::Request& request,
                       const std::optional<std::string>& admin_key);

}  // namespace queue::http
