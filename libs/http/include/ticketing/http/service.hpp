#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ticketing/config/service_config.hpp"
#include "ticketing/http/request.hpp"
#include "ticketing/http/router.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/metrics/registry.hpp"

namespace ticketing::http {

// What every service does the same way at its HTTP edge.

// Server options from the service's configuration, recording request metrics in `metrics`.
ServerOptions server_options(const config::ServiceConfig& config, std::string service_name,
                             metrics::Registry& metrics);

// The user the gateway verified, from the X-User-Id header it sets (and overwrites) on every
// queue-gated request. Missing or malformed: 401 TOKEN_INVALID with WWW-Authenticate.
Result<std::string, Response> gateway_user(const Request& request);

// An on_complete observer recording http_requests_total{route,method,status} and
// http_request_duration_seconds{route,method} in `metrics`.
std::function<void(const CompletedRequest&)> record_requests(metrics::Registry& metrics);

// Adds GET /healthz (process up), /readyz (`ready()`, else 503 NOT_READY) and /metrics.
void add_operations_routes(Router& router, std::function<bool()> ready,
                           const metrics::Registry& metrics);

// Whether X-Admin-Key matches the configured key (compared in constant time); never true when
// no key is configured.
bool admin_key_matches(const Request& request, const std::optional<std::string>& admin_key);

// 401 ADMIN_KEY_INVALID, saying whether the admin API is disabled or the key is wrong.
Response admin_key_refused(const std::optional<std::string>& admin_key);

// The X-Request-Id of the request whose handler runs on this thread (empty outside handlers), so
// internal calls made while handling it carry the same id.
std::string current_request_id();

// The token of an "Authorization: Bearer <token>" header; empty when absent or another scheme.
std::string_view bearer_token(const Request& request);

}  // namespace ticketing::http
