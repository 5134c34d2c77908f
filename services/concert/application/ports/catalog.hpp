#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar_date.hpp"
#include "domain/reservation.hpp"
#include "domain/seat.hpp"
#include "ticketing/completed.hpp"
#include "ticketing/result.hpp"

namespace concert {

struct NewConcert {
  std::string title;
  std::int64_t price = 0;
  std::vector<CalendarDate> dates;  // distinct
};

struct CreatedConcert {
  std::int64_t concert_id = 0;
  std::string title;
  std::int64_t price = 0;
  std::vector<CalendarDate> dates;  // ascending
};

struct DateSummary {
  CalendarDate date;
  std::int64_t concert_id = 0;
  std::string title;
  int available_seats = 0;
};

// Seats of dates from a day on, by status at a time (a lapsed hold counts as AVAILABLE).
struct SeatCounts {
  std::int64_t available = 0;
  std::int64_t held = 0;
};

struct SeatMap {
  CalendarDate date;
  std::int64_t concert_id = 0;
  std::string title;
  std::vector<Seat> seats;  // 1..50 in order, as stored (see status_at)
};

using SeatMapCallback = std::function<void(ticketing::Completed<std::optional<SeatMap>>)>;

// Concerts, their dates and seats.
class Catalog {
 public:
  virtual ~Catalog() = default;

  // Creates the concert, its dates and 50 seats per date at the concert's price, all or nothing:
  // a date that already has a concert fails the whole request with date_taken.
  virtual ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert& concert) = 0;
  // Dates from `first` on with at least one seat AVAILABLE at `now`, ascending.
  virtual std::vector<DateSummary> dates_from(const CalendarDate& first, TimePoint now) = 0;
  // How many seats of the dates from `first` on are AVAILABLE and HELD at `now`.
  virtual SeatCounts seat_counts_from(const CalendarDate& first, TimePoint now) = 0;
  // The date's seat map, or nullopt for a date without a concert. Asynchronous, so that
  // concurrent readers can share one query; `done` runs once, possibly on another thread.
  virtual void seat_map(const CalendarDate& date, SeatMapCallback done) = 0;
};

}  // namespace concert
