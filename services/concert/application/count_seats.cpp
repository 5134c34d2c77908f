#include "count_seats.hpp"

namespace concert {

SeatCounts CountSeats::Execute() {
  const auto now = clock_();
  return catalog_.seat_counts_from(CalendarDate::utc_day_of(now), now);
}

}  // namespace concert
