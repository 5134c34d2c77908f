#pragma once

#include <functional>
#include <optional>
#include <string>

#include "application/expire_token.hpp"
#include "application/issue_token.hpp"
#include "application/lookup_user.hpp"
#include "application/manage_line.hpp"
#include "application/poll_token.hpp"
#include "application/verify_token.hpp"
#include "ticketing/http/router.hpp"

namespace queue::http {

// Everything the queue's endpoints need, built by main.cpp.
struct Endpoints {
  IssueToken& issue;
  PollToken& poll;
  VerifyToken& verify;
  ExpireToken& expire;
  LookupUser& lookup;
  ManageLine& manage;
  std::optional<std::string> admin_key;  // nullopt: the admin API is disabled
};

// Public:   POST /api/v1/queue/tokens, GET /api/v1/queue/tokens/me, GET /api/v1/queue/opening
// Admin:    GET, PUT /api/v1/admin/queue
// Internal: GET /internal/v1/tokens/verify, POST /internal/v1/tokens/{token}/expire,
//           GET /internal/v1/users/{userId}
// (main.cpp adds the operations routes /healthz, /readyz, /metrics)
ticketing::http::Router make_router(Endpoints endpoints);

}  // namespace queue::http
