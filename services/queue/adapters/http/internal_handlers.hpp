#pragma once

#include "routes.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

namespace queue::http {

using ticketing::http::Request;
using ticketing::http::Response;

// GET /internal/v1/tokens/verify (Authorization: Bearer): 200 with X-User-Id for an ACTIVE
// token; 401 TOKEN_INVALID / TOKEN_EXPIRED, 403 TOKEN_NOT_ACTIVE otherwise. The problem code is
// also sent as X-Problem-Code so a gateway's auth subrequest can pass it on.
void handle_verify_token(VerifyToken& verify, const Request& request,
                         ticketing::http::Respond respond);
// POST /internal/v1/tokens/{token}/expire: 204, also when already ended; 404 if unknown.
Response handle_expire_token(ExpireToken& expire, const Request& request);
// GET /internal/v1/users/{userId}: 200 {"userId"}, 404 USER_NOT_FOUND, 400 INVALID_USER_ID.
Response handle_lookup_user(LookupUser& lookup, const Request& request);

}  // namespace queue::http
