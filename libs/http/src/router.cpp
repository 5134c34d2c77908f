#include "ticketing/http/router.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "text.hpp"
#include "ticketing/http/problem.hpp"

namespace ticketing::http {
namespace {

struct Segment {
  std::string text;  // literal text, or the parameter name
  bool is_param = false;
};

// Splits "/a/b" into {"a","b"}; "/" into {""}; "/a/" into {"a",""} so trailing slashes stay
// distinct.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

constexpr std::array<Method, 7> kMethodOrder = {Method::get,    Method::head,  Method::post,
                                                Method::put,    Method::patch, Method::del,
                                                Method::options};

}  // namespace

struct Router::Route {
  std::string pattern;
  std::vector<Segment> segments;
  struct Entry {
    Method method;
    Handler handler;
    AsyncHandler async_handler;
    Execution execution;
  };
  std::vector<Entry> entries;

  const Entry* find(Method method) const {
    for (const auto& entry : entries) {
      if (entry.method == method) return &entry;
    }
    return nullptr;
  }

  bool matches(const std::vector<std::string_view>& parts) const {
    if (parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (segments[i].is_param ? parts[i].empty() : parts[i] != segments[i].text) return false;
    }
    return true;
  }

  // True when this route is more specific than `other`: a literal at the first segment where
  // one has a literal and the other a parameter.
  bool more_specific_than(const Route& other) const {
    for (std::size_t i = 0; i < segments.size() && i < other.segments.size(); ++i) {
      if (segments[i].is_param != other.segments[i].is_param) return !segments[i].is_param;
    }
    return false;
  }
};

Router::Router() = default;
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Method method, std::string pattern, Handler handler, Execution execution) {
  if (!handler) throw std::invalid_argument(detail::concat({"route handler is empty: ", pattern}));
  if (execution == Execution::async) {
    throw std::invalid_argument(detail::concat({"use add_async for an async route: ", pattern}));
  }
  add_entry(method, std::move(pattern), std::move(handler), {}, execution);
}

void Router::add_async(Method method, std::string pattern, AsyncHandler handler) {
  if (!handler) throw std::invalid_argument(detail::concat({"route handler is empty: ", pattern}));
  add_entry(method, std::move(pattern), {}, std::move(handler), Execution::async);
}

void Router::add_entry(Method method, std::string pattern, Handler handler,
                       AsyncHandler async_handler, Execution execution) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument(detail::concat({"route pattern must start with '/': ", pattern}));
  }
  std::vector<Segment> segments;
  for (const auto part : split_path(pattern)) {
    Segment segment;
    if (!part.empty() && part.front() == '{') {
      if (part.size() < 3 || part.back() != '}')
        throw std::invalid_argument(detail::concat({"malformed parameter in ", pattern}));
      segment.is_param = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
    } else {
      segment.text = std::string(part);
    }
    if (segment.text.find_first_of("{}") != std::string::npos) {
      throw std::invalid_argument(
          detail::concat({"braces must enclose a whole segment in ", pattern}));
    }
    segments.push_back(std::move(segment));
  }

  for (auto& route : routes_) {
    if (route->pattern != pattern) continue;
    if (route->find(method)) {
      throw std::invalid_argument(
          detail::concat({"duplicate route ", to_string(method), " ", pattern}));
    }
    route->entries.push_back({method, std::move(handler), std::move(async_handler), execution});
    return;
  }
  auto route = std::make_unique<Route>();
  route->pattern = std::move(pattern);
  route->segments = std::move(segments);
  route->entries.push_back({method, std::move(handler), std::move(async_handler), execution});
  routes_.push_back(std::move(route));
}

Result<Router::Match, Router::Miss> Router::match(Method method, std::string_view path) const {
  const auto parts = split_path(path);
  const Route* best = nullptr;
  const Route::Entry* best_entry = nullptr;
  std::vector<Method> allowed;
  bool path_matched = false;

  for (const auto& route : routes_) {
    if (!route->matches(parts)) continue;
    path_matched = true;
    const Route::Entry* entry = route->find(method);
    if (!entry && method == Method::head) entry = route->find(Method::get);
    if (entry) {
      if (!best || route->more_specific_than(*best)) {
        best = route.get();
        best_entry = entry;
      }
    }
    for (const auto& e : route->entries) {
      if (std::find(allowed.begin(), allowed.end(), e.method) == allowed.end())
        allowed.push_back(e.method);
      if (e.method == Method::get &&
          std::find(allowed.begin(), allowed.end(), Method::head) == allowed.end()) {
        allowed.push_back(Method::head);
      }
    }
  }

  if (!best) {
    Miss miss;
    if (path_matched) {
      miss.status = 405;
      for (const auto m : kMethodOrder) {
        if (std::find(allowed.begin(), allowed.end(), m) != allowed.end())
          miss.allowed.push_back(m);
      }
    }
    return fail(std::move(miss));
  }

  Match result;
  result.handler = &best_entry->handler;
  result.async_handler = &best_entry->async_handler;
  result.execution = best_entry->execution;
  result.route = best->pattern;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!best->segments[i].is_param) continue;
    auto decoded = percent_decode(parts[i], false);
    result.params.emplace_back(best->segments[i].text,
                               decoded ? std::move(*decoded) : std::string(parts[i]));
  }
  return result;
}

std::string allow_header(const std::vector<Method>& methods) {
  std::string out;
  for (const auto m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

Response miss_response(const Router::Miss& miss, Method method, std::string_view path) {
  if (miss.status == 405) {
    auto response = problem(405, "METHOD_NOT_ALLOWED",
                            detail::concat({to_string(method), " is not allowed on ", path}));
    response.headers.emplace_back("Allow", allow_header(miss.allowed));
    return response;
  }
  return problem(404, "NOT_FOUND", detail::concat({"no route for ", path}));
}

}  // namespace ticketing::http
