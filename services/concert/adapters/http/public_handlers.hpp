#pragma once

#include "routes.hpp"

namespace concert::http {

using ticketing::http::Request;
using ticketing::http::Response;

Response handle_create_concert(const Endpoints& endpoints, const Request& request);
Response handle_list_dates(ListDates& list, const Request& request);
void handle_seat_map(GetSeatMap& seats, SeatMapJsonCache& json, const Request& request,
                     ticketing::http::Respond respond);
void handle_reserve(ReserveSeat& reserve, const Request& request, ticketing::http::Respond respond);
Response handle_get_reservation(GetReservation& get, const Request& request);
Response handle_cancel(CancelReservation& cancel, const Request& request);

}  // namespace concert::http
