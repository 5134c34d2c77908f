#pragma once

#include <optional>
#include <string>

#include "application/cancel_reservation.hpp"
#include "application/count_seats.hpp"
#include "application/confirm_reservation.hpp"
#include "application/create_concert.hpp"
#include "application/find_payment_reservation.hpp"
#include "application/get_reservation.hpp"
#include "application/get_seat_map.hpp"
#include "application/list_dates.hpp"
#include "application/read_reservation.hpp"
#include "application/reserve_seat.hpp"
#include "seat_map_json_cache.hpp"
#include "ticketing/http/router.hpp"

namespace concert::http {

// Everything the concert endpoints need, built by main.cpp.
struct Endpoints {
  CreateConcert& create_concert;
  ListDates& list_dates;
  GetSeatMap& seat_map;
  SeatMapJsonCache& seat_map_json;
  ReserveSeat& reserve;
  GetReservation& get_reservation;
  CancelReservation& cancel;
  ConfirmReservation& confirm;
  ReadReservation& read_reservation;
  FindPaymentReservation& payment_reservation;
  CountSeats& count_seats;
  std::optional<std::string> admin_key;  // nullopt: the admin API is disabled
};

// Admin POST /api/v1/admin/concerts; public (queue-gated, user in X-User-Id) /api/v1/concerts/...
// and /api/v1/reservations/...; internal /internal/v1/...: services/README.md lists them all.
ticketing::http::Router make_router(Endpoints endpoints);

}  // namespace concert::http
