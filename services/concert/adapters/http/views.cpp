#include "views.hpp"

#include "ticketing/json/writer.hpp"

namespace concert::http {

std::string created_concert_json(const CreatedConcert& concert) {
  ticketing::json::Writer w;
  w.begin_object()
      .field("concertId", concert.concert_id)
      .field("title", concert.title)
      .field("price", concert.price)
      .key("dates")
      .begin_array();
  for (const auto& date : concert.dates) w.value(date.text());
  return w.end_array().end_object().take();
}

std::string dates_json(const std::vector<DateSummary>& dates) {
  ticketing::json::Writer w;
  w.begin_object().key("dates").begin_array();
  for (const auto& date : dates) {
    w.begin_object()
        .field("date", date.date.text())
        .field("concertId", date.concert_id)
        .field("title", date.title)
        .field("availableSeats", date.available_seats)
        .end_object();
  }
  return w.end_array().end_object().take();
}

std::string seat_map_json(const SeatMapView& map) {
  // {"seatNo":50,"price":120000,"status":"AVAILABLE"}, per seat
  ticketing::json::Writer w(160 + 56 * map.seats.size());
  w.begin_object()
      .field("date", map.date.text())
      .field("concertId", map.concert_id)
      .field("title", map.title)
      .key("seats")
      .begin_array();
  for (const auto& seat : map.seats) {
    w.begin_object()
        .field("seatNo", seat.seat_no)
        .field("price", seat.price)
        .field("status", to_string(seat.status))
        .end_object();
  }
  return w.end_array().end_object().take();
}

std::string reservation_json(const Reservation& reservation, bool internal) {
  ticketing::json::Writer w;
  w.begin_object()
      .field("reservationId", reservation.id)
      .field("concertId", reservation.concert_id)
      .field("date", reservation.date.text())
      .field("seatNo", reservation.seat_no)
      .field("price", reservation.price)
      .field("status", to_string(reservation.status))
      .field("expiresAt", ticketing::format_rfc3339(reservation.expires_at));
  if (internal) w.field("userId", reservation.user_id).field("paymentId", reservation.payment_id);
  return w.end_object().take();
}

}  // namespace concert::http
