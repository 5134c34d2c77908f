#include "ticketing/http/service.hpp"

#include <cctype>

#include "ticketing/http/problem.hpp"
#include "ticketing/ids.hpp"

namespace ticketing::http {

namespace detail {
thread_local std::string handling_request_id;
}

std::string current_request_id() { return detail::handling_request_id; }

std::function<void(const CompletedRequest&)> record_requests(metrics::Registry& metrics) {
  return [&metrics](const CompletedRequest& done) {
    const metrics::Labels labels{{"route", std::string(done.route)},
                                 {"method", std::string(to_string(done.method))}};
    metrics.histogram("http_request_duration_seconds", "Request latency", labels)
        .observe(std::chrono::duration<double>(done.duration).count());
    metrics
        .counter("http_requests_total", "Requests answered",
                 {labels[0], labels[1], {"status", std::to_string(done.status)}})
        .inc();
  };
}

void add_operations_routes(Router& router, std::function<bool()> ready,
                           const metrics::Registry& metrics) {
  router.add(
      Method::get, "/healthz",
      [](const Request&) { return json_response(200, R"({"status":"ok"})"); },
      Router::Execution::inline_io);
  router.add(Method::get, "/readyz", [ready = std::move(ready)](const Request&) {
    if (!ready()) return problem(503, "NOT_READY", "the database cannot be reached");
    return json_response(200, R"({"status":"ready"})");
  });
  router.add(Method::get, "/metrics", [&metrics](const Request&) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.render();
    return response;
  });
}

ServerOptions server_options(const config::ServiceConfig& config, std::string service_name,
                             metrics::Registry& metrics) {
  ServerOptions options;
  options.service_name = std::move(service_name);
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.access_log = config.access_log;
  options.on_complete = record_requests(metrics);
  return options;
}

Result<std::string, Response> gateway_user(const Request& request) {
  auto user = request.header("X-User-Id");
  if (!user || !is_canonical_uuid(*user)) {
    auto response =
        problem(401, "TOKEN_INVALID", "a valid 'Authorization: Bearer <token>' is required");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return fail(std::move(response));
  }
  return std::string(*user);
}

bool admin_key_matches(const Request& request, const std::optional<std::string>& admin_key) {
  if (!admin_key) return false;
  auto given = request.header("X-Admin-Key");
  if (!given || given->size() != admin_key->size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < admin_key->size(); ++i) {
    difference |= static_cast<unsigned char>((*given)[i] ^ (*admin_key)[i]);
  }
  return difference == 0;
}

Response admin_key_refused(const std::optional<std::string>& admin_key) {
  return problem(401, "ADMIN_KEY_INVALID",
                 admin_key ? "a valid X-Admin-Key header is required"
                           : "the admin API is disabled: ADMIN_API_KEY is not set");
}

std::string_view bearer_token(const Request& request) {
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

}  // namespace ticketing::http
