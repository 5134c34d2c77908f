#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ticketing/time.hpp"

namespace queue {

using ticketing::TimePoint;

// Live controls of the line, changed by the admin API.
struct LineSettings {
  std::int64_t capacity = 100;  // most ACTIVE tokens at once
  bool paused = false;          // a paused line admits nobody
  // Set by the line itself, not the admin: nobody is admitted before the opening's draw, nor
  // while no seat is AVAILABLE (product-spec.md, "Sale day").
  bool awaiting_opening = false;
  bool no_seat_available = false;
};

// The latest opening the admin set (product-spec.md, "Sale day").
struct LineOpening {
  std::optional<TimePoint> opens_at;  // nullopt: never set
  bool pending = false;               // early tokens wait for the draw
  std::int64_t early_count = 0;       // arrival numbers given: 1..early_count
};

// What the concert service last said about the seats of dates from today on.
struct SeatCounts {
  std::int64_t available = 0;
  std::int64_t held = 0;
};

// Nothing can come back: no seat AVAILABLE, none HELD.
inline bool sold_out(const SeatCounts& seats) { return seats.available == 0 && seats.held == 0; }

// The line's counters, kept in step with the tokens by every admission and issue.
struct LineCounters {
  std::int64_t active = 0;
  std::int64_t waiting = 0;
  std::int64_t last_place = 0;    // the place given to the newest token
  std::int64_t served_place = 0;  // the highest place admitted so far
  std::int64_t admitted_total = 0;
  std::int64_t expired_total = 0;
  std::int64_t dropped_total = 0;
};

// How many waiting tokens may be admitted now without exceeding the capacity.
std::int64_t free_slots(const LineSettings& settings, std::int64_t active);

// How many of `arriving` new tokens are admitted at issue: only when nobody is waiting (FIFO),
// the line is not paused, and capacity is free.
std::int64_t admit_on_arrival(const LineSettings& settings, const LineCounters& counters,
                              std::int64_t arriving);

// What a replica knows about the line to answer polls without scanning it.
struct LineSnapshot {
  std::int64_t served_place = 0;
  // Places above served_place whose tokens were dropped, ascending: they are not ahead of anyone.
  // Shared, so a snapshot with a newer served counter is cheap to make.
  std::shared_ptr<const std::vector<std::int64_t>> dropped_places =
      std::make_shared<const std::vector<std::int64_t>>();
  double admissions_per_second = 0;  // observed recently; 0 when none were seen
  LineSettings settings;
  std::chrono::seconds token_ttl{600};
  std::int64_t poll_ceiling = 19;  // see poll_ceiling() in pacing.hpp
  // The opening time while the line waits for it (its draw not made yet); nullopt otherwise.
  std::optional<TimePoint> opens_at;
  bool sold_out = false;  // no seat AVAILABLE or HELD on any date from today on
};

// 1 = next in line. Counts the places between the served counter and this token, less the
// dropped ones among them: O(log dropped), independent of how many are waiting.
std::int64_t position_in_line(std::int64_t place, const LineSnapshot& snapshot);

// Seconds until admission at the observed admission rate. Before any admission has been seen,
// the slowest rate the line can have while tokens expire on time is used: capacity per TTL.
std::int64_t estimated_wait_seconds(std::int64_t position, const LineSnapshot& snapshot);

}  // namespace queue
