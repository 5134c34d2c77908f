#pragma once

#include "clock.hpp"
#include "ports/catalog.hpp"

namespace concert {

struct SeatView {
  int seat_no;
  std::int64_t price;
  SeatStatus status;  // as it is now: a lapsed hold reads AVAILABLE

  bool operator==(const SeatView&) const = default;
};

struct SeatMapView {
  CalendarDate date;
  std::int64_t concert_id;
  std::string title;
  std::vector<SeatView> seats;

  bool operator==(const SeatMapView&) const = default;
};

// The 50 seats of a date as they are now.
class GetSeatMap {
 public:
  GetSeatMap(Catalog& catalog, ClockFn clock) : catalog_(catalog), clock_(std::move(clock)) {}

  using Result = ticketing::Result<SeatMapView, ConcertError>;
  using Callback = std::function<void(ticketing::Completed<Result>)>;

  // Calls `done` once, possibly on another thread.
  void Execute(const CalendarDate& date, Callback done);

 private:
  Catalog& catalog_;
  ClockFn clock_;
};

}  // namespace concert
