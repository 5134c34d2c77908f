#pragma once

#include <chrono>
#include <cstdint>
#include <pqxx/result>
#include <pqxx/row>
#include <string>
#include <vector>

#include "domain/line.hpp"
#include "domain/token.hpp"
#include "ticketing/db/array_literal.hpp"

namespace queue::sql {

inline std::int64_t micros(TimePoint at) {
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

inline TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(us)));
}

// A token from the columns token, user_id, status, place, expires_us starting at `first`.
inline Token token_from(const pqxx::row& row, int first = 0) {
  Token token;
  token.value = row[first].as<std::string>();
  token.user_id = row[first + 1].as<std::string>();
  token.status = token_status_from(row[first + 2].as<std::string>()).value_or(TokenStatus::expired);
  token.place = row[first + 3].as<std::int64_t>();
  if (!row[first + 4].is_null()) token.expires_at = from_micros(row[first + 4].as<std::int64_t>());
  return token;
}

using ticketing::db::array_literal;

struct LineRow {
  LineSettings settings;
  LineCounters counters;
};

inline LineRow line_from(const pqxx::row& row) {
  LineRow line;
  line.settings.capacity = row[0].as<std::int64_t>();
  line.settings.paused = row[1].as<bool>();
  line.counters.active = row[2].as<std::int64_t>();
  line.counters.waiting = row[3].as<std::int64_t>();
  line.counters.last_place = row[4].as<std::int64_t>();
  line.counters.served_place = row[5].as<std::int64_t>();
  line.counters.admitted_total = row[6].as<std::int64_t>();
  line.counters.expired_total = row[7].as<std::int64_t>();
  line.counters.dropped_total = row[8].as<std::int64_t>();
  return line;
}

}  // namespace queue::sql
