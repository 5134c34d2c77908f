#pragma once

#include "application/count_seats.hpp"
#include "application/read_reservation.hpp"
#include "routes.hpp"

namespace concert::http {

using ticketing::http::Request;
using ticketing::http::Response;

// GET /internal/v1/reservations/{reservationId}: with userId and paymentId; status as of now.
Response handle_read_reservation(ReadReservation& read, const Request& request);
// POST /internal/v1/reservations/{reservationId}/confirm {"paymentId"}: 200 the CONFIRMED
// reservation (also when confirmed before for the same payment); 410 RESERVATION_EXPIRED,
// 409 RESERVATION_CANCELLED or ALREADY_CONFIRMED, 404 RESERVATION_NOT_FOUND.
Response handle_confirm(ConfirmReservation& confirm, const Request& request);
// GET /internal/v1/payments/{paymentId}/reservation: the reservation confirmed for this payment,
// or 404 RESERVATION_NOT_FOUND when none was.
Response handle_payment_reservation(FindPaymentReservation& find, const Request& request);
// GET /internal/v1/availability: {"available","held"}, the seats of dates from today (UTC) on
// AVAILABLE and HELD now (the queue's sold-out check).
Response handle_availability(CountSeats& count, const Request& request);

}  // namespace concert::http
