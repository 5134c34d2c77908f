#pragma once

#include <string>
#include <vector>

#include "application/get_seat_map.hpp"
#include "application/ports/catalog.hpp"

namespace concert::http {

// JSON bodies of the concert API, exactly as the product spec names their fields.
std::string created_concert_json(const CreatedConcert& concert);
std::string dates_json(const std::vector<DateSummary>& dates);
std::string seat_map_json(const SeatMapView& map);
// {"reservationId","concertId","date","seatNo","price","status","expiresAt"}; the internal
// view adds "userId" and "paymentId".
std::string reservation_json(const Reservation& reservation, bool internal = false);

}  // namespace concert::http
