#pragma once

#include "routes.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

namespace queue::http {

using ticketing::http::Request;
using ticketing::http::Response;

// POST /api/v1/queue/tokens: 201 a new token, 200 the user's live token again. Asynchronous:
// the answer comes when the batch holding this issue has committed.
void handle_issue_token(IssueToken& issue, const Request& request,
                        ticketing::http::Respond respond);
// GET /api/v1/queue/tokens/me (asynchronous: the lookup is batched with concurrent ones)
void handle_poll_token(PollToken& poll, const Request& request, ticketing::http::Respond respond);

// GET /api/v1/queue/opening: the latest opening, its seed's SHA-256 and, once drawn, the seed;
// 404 NOT_FOUND when none was ever set.
Response handle_get_opening(const Endpoints& endpoints, const Request& request);

// GET /api/v1/admin/queue and PUT /api/v1/admin/queue
Response handle_get_line(const Endpoints& endpoints, const Request& request);
Response handle_update_line(const Endpoints& endpoints, const Request& request);

}  // namespace queue::http
