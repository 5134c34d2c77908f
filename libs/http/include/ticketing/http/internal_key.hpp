#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketing/http/request.hpp"
#include "ticketing/http/response.hpp"

namespace ticketing::http {

// The trust boundary of a service: only the gateway and peer services know the shared internal
// key, so a request without it (a forged X-User-Id, a direct /internal/v1 call) is refused
// before it is routed.

inline constexpr std::string_view kInternalKeyHeader = "X-Internal-Key";

// The probes and scraping read state and act on nothing: orchestrators and Prometheus call them
// without the key.
inline const std::vector<std::string> kOpenPaths{"/healthz", "/readyz", "/metrics"};

// Whether `given` equals `expected`, in a time that depends on the length of `expected` only
// (not on where the two differ, nor on the length of `given`).
bool same_secret(std::string_view given, std::string_view expected);

// Why a request may not pass the boundary; nullopt when it may.
enum class KeyRefusal { missing, wrong };
std::optional<KeyRefusal> check_internal_key(const Request& request, std::string_view key,
                                             const std::vector<std::string>& open_paths);

// 401 INTERNAL_KEY_INVALID.
Response internal_key_refused();

}  // namespace ticketing::http
