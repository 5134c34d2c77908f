#include "list_dates.hpp"

namespace concert {

std::vector<DateSummary> ListDates::Execute() {
  const auto now = clock_();
  return catalog_.dates_from(CalendarDate::utc_day_of(now), now);
}

}  // namespace concert
