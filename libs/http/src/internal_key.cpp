#include "ticketing/http/internal_key.hpp"

#include <algorithm>

#include "ticketing/http/problem.hpp"

namespace ticketing::http {

bool same_secret(std::string_view given, std::string_view expected) {
  // Every byte of `expected` is compared whatever `given` is, so the time reveals neither the
  // first difference nor the length sought.
  std::size_t difference = given.size() ^ expected.size();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char against = given.empty() ? '\0' : given[i % given.size()];
    difference |= static_cast<unsigned char>(against ^ expected[i]);
  }
  return difference == 0;
}

std::optional<KeyRefusal> check_internal_key(const Request& request, std::string_view key,
                                             const std::vector<std::string>& open_paths) {
  if (std::find(open_paths.begin(), open_paths.end(), request.path) != open_paths.end())
    return std::nullopt;
  const auto given = request.header(kInternalKeyHeader);
  if (!given || given->empty()) return KeyRefusal::missing;
  if (!same_secret(*given, key)) return KeyRefusal::wrong;
  return std::nullopt;
}

Response internal_key_refused() {
  return problem(401, "INTERNAL_KEY_INVALID",
                 "this service answers only the gateway and its peer services (X-Internal-Key)");
}

}  // namespace ticketing::http
