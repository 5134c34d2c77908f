#include "internal_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/json/writer.hpp"
#include "views.hpp"

namespace concert::http {

using ticketing::http::json_response;

Response handle_read_reservation(ReadReservation& read, const Request& request) {
  auto id = parse_reservation_id(request.param("reservationId"));
  if (!id) return id.error();
  auto reservation = read.Execute(id.value());
  if (!reservation) return problem_for(reservation.error());
  return json_response(200, reservation_json(reservation.value(), /*internal=*/true));
}

Response handle_confirm(ConfirmReservation& confirm, const Request& request) {
  auto id = parse_reservation_id(request.param("reservationId"));
  if (!id) return id.error();
  auto payment_id = parse_confirm(request.body);
  if (!payment_id) return payment_id.error();
  auto confirmed = confirm.Execute(id.value(), payment_id.value());
  if (!confirmed) return problem_for(confirmed.error());
  return json_response(200, reservation_json(confirmed.value(), /*internal=*/true));
}

Response handle_payment_reservation(FindPaymentReservation& find, const Request& request) {
  auto payment_id = parse_payment_id(request.param("paymentId"));
  if (!payment_id) return payment_id.error();
  auto reservation = find.Execute(payment_id.value());
  if (!reservation) return problem_for(reservation.error());
  return json_response(200, reservation_json(reservation.value(), /*internal=*/true));
}

Response handle_availability(CountSeats& count, const Request&) {
  const auto seats = count.Execute();
  ticketing::json::Writer w;
  w.begin_object().field("available", seats.available).field("held", seats.held).end_object();
  return json_response(200, w.take());
}

}  // namespace concert::http
