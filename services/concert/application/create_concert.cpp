#include "create_concert.hpp"

namespace concert {

ticketing::Result<CreatedConcert, ConcertError> CreateConcert::Execute(const NewConcert& concert) {
  const auto today = CalendarDate::utc_day_of(clock_());
  for (const auto& date : concert.dates) {
    if (date < today) return ticketing::fail(ConcertError::invalid_date);
  }
  return catalog_.create(concert);
}

}  // namespace concert
