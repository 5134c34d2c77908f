#include "ticketing/http/service.hpp"

#include <cctype>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ticketing/http/internal_key.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/ids.hpp"

namespace ticketing::http {

namespace detail {
thread_local std::string handling_request_id;
}

std::string current_request_id() { return detail::handling_request_id; }

namespace {

// The request metrics' series of each route, method and status, asked of the registry once. The
// registry renders the labels into a string and takes its lock on every lookup, which every
// request paid for twice.
class RequestSeries {
 public:
  explicit RequestSeries(metrics::Registry& metrics) : metrics_(metrics) {}

  void record(const CompletedRequest& done) {
    const Series series = find(done);
    series.duration->observe(std::chrono::duration<double>(done.duration).count());
    series.requests->inc();
  }

 private:
  struct Series {
    metrics::Histogram* duration;
    metrics::Counter* requests;
  };
  struct Key {
    std::string_view route;  // while asking; a stored key views its own copy in routes_
    Method method;
    int status;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const {
      return std::hash<std::string_view>{}(key.route) ^
             (static_cast<std::size_t>(key.status) << 8) ^ static_cast<std::size_t>(key.method);
    }
  };

  Series find(const CompletedRequest& done) {
    const Key key{done.route, done.method, done.status};
    {
      std::shared_lock lock(mutex_);
      if (const auto it = series_.find(key); it != series_.end()) return it->second;
    }
    const metrics::Labels labels{{"route", std::string(done.route)},
                                 {"method", std::string(to_string(done.method))}};
    const Series series{
        &metrics_.histogram("http_request_duration_seconds", "Request latency", labels),
        &metrics_.counter("http_requests_total", "Requests answered",
                          {labels[0], labels[1], {"status", std::to_string(done.status)}})};
    std::unique_lock lock(mutex_);
    const auto& route = *routes_.emplace(done.route).first;
    series_.try_emplace(Key{route, done.method, done.status}, series);
    return series;
  }

  metrics::Registry& metrics_;
  std::shared_mutex mutex_;
  std::unordered_set<std::string> routes_;  // node-based: the keys' views stay valid
  std::unordered_map<Key, Series, KeyHash> series_;
};

}  // namespace

std::function<void(const CompletedRequest&)> record_requests(metrics::Registry& metrics) {
  auto series = std::make_shared<RequestSeries>(metrics);
  return [series](const CompletedRequest& done) { series->record(done); };
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
  options.address = config.listen_address;
  options.internal_key = config.internal_key;
  options.open_paths = kOpenPaths;
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
  return given && same_secret(*given, *admin_key);
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
