// libs/http's Router and request helpers on fuzzed routes, paths and queries:
// - add() refuses a malformed or duplicate pattern with std::invalid_argument and nothing else;
// - a hit's pattern matches the path segment by segment, no matching route for the method is
//   more specific, and its parameters are the path's segments, percent-decoded;
// - a miss is 405 with a sorted Allow list when the path matches some route, else 404;
// - percent_decode undoes percent-encoding, and query_param finds the first pair of a name.
#include "ticketing/http/router.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.hpp"

namespace {

using namespace ticketing::http;

// In the order Allow lists them.
constexpr std::array<Method, 7> kMethods = {Method::get,    Method::head,  Method::post,
                                            Method::put,    Method::patch, Method::del,
                                            Method::options};

std::size_t rank(Method method) {
  return static_cast<std::size_t>(std::find(kMethods.begin(), kMethods.end(), method) -
                                  kMethods.begin());
}

struct Added {
  Method method;
  std::string pattern;
};

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return parts;
    path.remove_prefix(slash + 1);
  }
}

bool is_param(std::string_view segment) { return !segment.empty() && segment.front() == '{'; }

bool matches(std::string_view pattern, std::string_view path) {
  const auto want = segments(pattern), have = segments(path);
  if (want.size() != have.size() || have.empty()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_param(want[i]) ? have[i].empty() : want[i] != have[i]) return false;
  }
  return true;
}

// A literal where the other has a parameter, at the first segment where they differ so.
bool more_specific(std::string_view a, std::string_view b) {
  const auto x = segments(a), y = segments(b);
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (is_param(x[i]) != is_param(y[i])) return !is_param(x[i]);
  }
  return false;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

void check_match(const Router& router, const std::vector<Added>& added, Method method,
                 const std::string& path) {
  auto result = router.match(method, path);
  auto serves = [&](const Added& a) {
    return matches(a.pattern, path) &&
           (a.method == method || (method == Method::head && a.method == Method::get &&
                                   std::none_of(added.begin(), added.end(), [&](const Added& b) {
                                     return b.method == Method::head && b.pattern == a.pattern;
                                   })));
  };
  if (result) {
    const std::string route(result->route);
    const auto chosen = std::find_if(added.begin(), added.end(), [&](const Added& a) {
      return a.pattern == route && serves(a);
    });
    fuzz::require(chosen != added.end(), "a hit is an added route for this method and path");
    for (const auto& other : added) {
      fuzz::require(!serves(other) || !more_specific(other.pattern, route),
                    "no matching route is more specific than the hit");
    }
    const auto want = segments(route), have = segments(path);
    std::size_t next = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (!is_param(want[i])) continue;
      fuzz::require(next < result->params.size(), "each parameter segment gives a parameter");
      const auto& [name, value] = result->params[next++];
      fuzz::require(name == want[i].substr(1, want[i].size() - 2), "a parameter has its name");
      const auto decoded = percent_decode(have[i], false);
      fuzz::require(value == decoded.value_or(std::string(have[i])),
                    "a parameter is its segment, percent-decoded when well-formed");
    }
    fuzz::require(next == result->params.size(), "no parameter without a segment");
    return;
  }
  const auto& miss = result.error();
  const bool path_known = std::any_of(added.begin(), added.end(),
                                      [&](const Added& a) { return matches(a.pattern, path); });
  fuzz::require(std::none_of(added.begin(), added.end(), serves), "a miss has no serving route");
  fuzz::require(miss.status == (path_known ? 405 : 404), "405 for a known path, else 404");
  fuzz::require(path_known == !miss.allowed.empty(), "a 405 lists the allowed methods");
  fuzz::require(std::is_sorted(miss.allowed.begin(), miss.allowed.end(),
                               [](Method a, Method b) { return rank(a) < rank(b); }),
                "Allow lists methods in a fixed order");
  fuzz::require(std::find(miss.allowed.begin(), miss.allowed.end(), method) == miss.allowed.end(),
                "Allow does not list the refused method");
  const auto response = miss_response(miss, method, path);
  fuzz::require_problem(response);
  fuzz::require(response.status == miss.status, "the miss response has the miss status");
}

// Every line is also text to decode, and a "name=value" pair to find in a query.
void check_decoding(std::string_view line) {
  fuzz::require(percent_decode(percent_encode(line), false) == line,
                "percent_decode undoes percent-encoding");
  fuzz::require(percent_decode(line, true).has_value() || line.find('%') != std::string::npos,
                "only a '%' escape can be malformed");
  const auto eq = line.find('=');
  const std::string name(line.substr(0, eq));
  const std::string value(eq == std::string_view::npos ? "" : line.substr(eq + 1));
  Request request;
  request.query = percent_encode(name) + "=" + percent_encode(value) + "&" + std::string(line);
  fuzz::require(request.query_param(name) == value, "query_param finds the first pair of a name");
}

}  // namespace

// One command a line: "+METHOD /pattern" adds a route, "METHOD /path" looks one up.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz::text_of(data, size);
  Router router;
  std::vector<Added> added;
  auto handler = [](const Request&) { return empty_response(); };
  // The services' shapes: literals beside parameters, nested parameters, a root route.
  for (const auto& [method, pattern] :
       {std::pair{Method::get, "/api/v1/concerts/{concertId}/dates/{date}/seats"},
        std::pair{Method::get, "/api/v1/concerts/{concertId}/dates"},
        std::pair{Method::post, "/api/v1/reservations"},
        std::pair{Method::get, "/api/v1/reservations/{reservationId}"},
        std::pair{Method::del, "/api/v1/reservations/{reservationId}"},
        std::pair{Method::get, "/api/v1/reservations/mine"}, std::pair{Method::get, "/"}}) {
    router.add(method, pattern, handler);
    added.push_back({method, pattern});
  }
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    check_decoding(line);
    const bool add = !line.empty() && line.front() == '+';
    if (add) line.remove_prefix(1);
    const auto space = line.find(' ');
    const auto method = parse_method(line.substr(0, space));
    const std::string rest(space == std::string_view::npos ? "" : line.substr(space + 1));
    if (!add) {
      check_match(router, added, method, rest);
      continue;
    }
    // Method::other is not for routes: Allow could not list it.
    if (method == Method::other) continue;
    try {
      router.add(method, rest, handler);
      fuzz::require(!rest.empty() && rest.front() == '/', "a pattern starts with '/'");
      added.push_back({method, rest});
    } catch (const std::invalid_argument&) {
      // Malformed or duplicate: refused, and the router is unchanged.
    }
  }
  return 0;
}
