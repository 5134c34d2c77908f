#include "get_seat_map.hpp"

namespace concert {

void GetSeatMap::Execute(const CalendarDate& date, Callback done) {
  catalog_.seat_map(date, [this, done = std::move(done)](auto found) {
    try {
      auto map = std::move(found).get();
      if (!map)
        return done(
            ticketing::Completed<Result>::with(ticketing::fail(ConcertError::date_not_found)));
      const auto now = clock_();
      SeatMapView view{map->date, map->concert_id, map->title, {}};
      view.seats.reserve(map->seats.size());
      for (const auto& seat : map->seats) {
        view.seats.push_back({seat.seat_no, seat.price, status_at(seat, now)});
      }
      done(ticketing::Completed<Result>::with(std::move(view)));
    } catch (...) {
      done(ticketing::Completed<Result>::failed(std::current_exception()));
    }
  });
}

}  // namespace concert
