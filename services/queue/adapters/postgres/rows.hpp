#pragma once

#include <chrono>
#include <optional>
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

// A token from the columns token, user_id, status, place, expires_us, arrival_number starting
// at `first`.
inline Token token_from(const pqxx::row& row, int first = 0) {
  Token token;
  token.value = row[first].as<std::string>();
  token.user_id = row[first + 1].as<std::string>();
  token.status = token_status_from(row[first + 2].as<std::string>()).value_or(TokenStatus::expired);
  token.place = row[first + 3].is_null() ? 0 : row[first + 3].as<std::int64_t>();
  if (!row[first + 4].is_null()) token.expires_at = from_micros(row[first + 4].as<std::int64_t>());
  if (!row[first + 5].is_null()) token.arrival_number = row[first + 5].as<std::int64_t>();
  return token;
}

using ticketing::db::array_literal;

struct LineRow {
  LineSettings settings;
  LineCounters counters;
  LineOpening opening;
  std::optional<SeatCounts> seats;
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
  if (!row[9].is_null()) line.opening.opens_at = from_micros(row[9].as<std::int64_t>());
  line.opening.pending = row[10].as<bool>();
  line.opening.early_count = row[11].as<std::int64_t>();
  if (!row[12].is_null() && !row[13].is_null()) {
    line.seats = SeatCounts{row[12].as<std::int64_t>(), row[13].as<std::int64_t>()};
  }
  // Read under the line lock after a due draw: a pending opening is in the future.
  line.settings.awaiting_opening = line.opening.pending;
  line.settings.no_seat_available = line.seats && line.seats->available == 0;
  return line;
}

}  // namespace queue::sql
