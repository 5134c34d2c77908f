#include "public_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/reply.hpp"
#include "ticketing/http/service.hpp"
#include "views.hpp"

namespace concert::http {

using ticketing::http::json_response;

Response handle_create_concert(const Endpoints& endpoints, const Request& request) {
  if (!ticketing::http::admin_key_matches(request, endpoints.admin_key)) {
    return ticketing::http::admin_key_refused(endpoints.admin_key);
  }
  auto concert = parse_new_concert(request.body);
  if (!concert) return concert.error();
  auto created = endpoints.create_concert.Execute(concert.value());
  if (!created) return problem_for(created.error());
  return json_response(201, created_concert_json(created.value()));
}

Response handle_list_dates(ListDates& list, const Request& request) {
  if (auto user = ticketing::http::gateway_user(request); !user) return user.error();
  return json_response(200, dates_json(list.Execute()));
}

void handle_seat_map(GetSeatMap& seats, SeatMapJsonCache& json, const Request& request,
                     ticketing::http::Respond respond) {
  if (auto user = ticketing::http::gateway_user(request); !user) return respond(user.error());
  auto date = parse_date(request.param("date"));
  if (!date) return respond(date.error());
  seats.Execute(date.value(), ticketing::http::reply_with<GetSeatMap::Result>(
                                  std::move(respond), [&json](const GetSeatMap::Result& map) {
                                    if (!map) return problem_for(map.error());
                                    return json_response(200, json.json_of(map.value()));
                                  }));
}

void handle_reserve(ReserveSeat& reserve, const Request& request,
                    ticketing::http::Respond respond) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return respond(user.error());
  auto command = parse_reserve_seat(request.body, user.value());
  if (!command) return respond(command.error());
  reserve.Execute(command.value(),
                  ticketing::http::reply_with<HoldOutcome>(
                      std::move(respond), [](const HoldOutcome& reservation) {
                        if (!reservation) return problem_for(reservation.error());
                        auto response = json_response(201, reservation_json(reservation.value()));
                        response.headers.emplace_back(
                            "Location", "/api/v1/reservations/" + std::to_string(reservation->id));
                        return response;
                      }));
}

Response handle_get_reservation(GetReservation& get, const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  auto id = parse_reservation_id(request.param("reservationId"));
  if (!id) return id.error();
  auto reservation = get.Execute(user.value(), id.value());
  if (!reservation) return problem_for(reservation.error());
  return json_response(200, reservation_json(reservation.value()));
}

Response handle_cancel(CancelReservation& cancel, const Request& request) {
  auto user = ticketing::http::gateway_user(request);
  if (!user) return user.error();
  auto id = parse_reservation_id(request.param("reservationId"));
  if (!id) return id.error();
  auto cancelled = cancel.Execute(user.value(), id.value());
  if (!cancelled) return problem_for(cancelled.error());
  return ticketing::http::empty_response(204);
}

}  // namespace concert::http
