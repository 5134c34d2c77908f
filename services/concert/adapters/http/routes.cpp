#include "routes.hpp"

#include <memory>

#include "internal_handlers.hpp"
#include "public_handlers.hpp"

namespace concert::http {

using ticketing::http::Method;
using ticketing::http::Router;

Router make_router(Endpoints endpoints) {
  auto e = std::make_shared<Endpoints>(std::move(endpoints));
  Router router;
  router.add(Method::post, "/api/v1/admin/concerts",
             [e](const Request& r) { return handle_create_concert(*e, r); });
  router.add(Method::get, "/api/v1/concerts/dates",
             [e](const Request& r) { return handle_list_dates(e->list_dates, r); });
  router.add_async(
      Method::get, "/api/v1/concerts/dates/{date}/seats",
      [e](const Request& r, auto respond) {
        handle_seat_map(e->seat_map, e->seat_map_json, r, std::move(respond));
      });
  router.add_async(
      Method::post, "/api/v1/reservations",
      [e](const Request& r, auto respond) { handle_reserve(e->reserve, r, std::move(respond)); });
  router.add(Method::get, "/api/v1/reservations/{reservationId}",
             [e](const Request& r) { return handle_get_reservation(e->get_reservation, r); });
  router.add(Method::del, "/api/v1/reservations/{reservationId}",
             [e](const Request& r) { return handle_cancel(e->cancel, r); });

  router.add(Method::get, "/internal/v1/reservations/{reservationId}",
             [e](const Request& r) { return handle_read_reservation(e->read_reservation, r); });
  router.add(Method::post, "/internal/v1/reservations/{reservationId}/confirm",
             [e](const Request& r) { return handle_confirm(e->confirm, r); });
  router.add(Method::get, "/internal/v1/availability",
             [e](const Request& r) { return handle_availability(e->count_seats, r); });
  router.add(Method::get, "/internal/v1/payments/{paymentId}/reservation", [e](const Request& r) {
    return handle_payment_reservation(e->payment_reservation, r);
  });
  return router;
}

}  // namespace concert::http
