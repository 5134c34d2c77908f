#pragma once

#include <optional>
#include <string_view>

#include "ticketing/time.hpp"

namespace queue::http {

// An RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS, an optional fraction (kept to the microsecond),
// then Z or a +HH:MM / -HH:MM offset; 'T' and 'Z' in either case. nullopt for anything else,
// including impossible dates (2026-02-30) and leap seconds.
std::optional<ticketing::TimePoint> parse_rfc3339(std::string_view text);

}  // namespace queue::http
