#include "get_seat_map.hpp"

namespace concert {

ticketing::Result<SeatMapView, ConcertError> GetSeatMap::Execute(const CalendarDate& date) {
  auto map = catalog_.seat_map(date);
  if (!map) return ticketing::fail(ConcertError::date_not_found);
  const auto now = clock_();
  SeatMapView view{map->date, map->concert_id, map->title, {}};
  view.seats.reserve(map->seats.size());
  for (const auto& seat : map->seats) view.seats.push_back({seat.seat_no, seat.price, status_at(seat, now)});
  return view;
}

}  // namespace concert
