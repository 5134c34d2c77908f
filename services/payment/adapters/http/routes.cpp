#include "routes.hpp"

#include <memory>

#include "payments_handlers.hpp"
#include "points_handlers.hpp"

namespace payment::http {

using ticketing::http::Method;
using ticketing::http::Router;

Router make_router(Endpoints endpoints) {
  auto e = std::make_shared<Endpoints>(std::move(endpoints));
  Router router;
  router.add(Method::get, "/api/v1/users/{userId}/points",
             [e](const Request& r) { return handle_balance(e->balance, r); });
  router.add(Method::post, "/api/v1/users/{userId}/points/charge", [e](const Request& r) {
    return handle_charge(e->charge, e->recall, e->idempotency, r);
  });
  router.add(Method::get, "/api/v1/users/{userId}/points/history",
             [e](const Request& r) { return handle_history(e->history, r); });
  router.add(Method::get, "/api/v1/users/{userId}/payments",
             [e](const Request& r) { return handle_list_payments(e->list_payments, r); });
  router.add(Method::post, "/api/v1/payments",
             [e](const Request& r) { return handle_pay(e->pay, e->recall, e->idempotency, r); });
  router.add(Method::get, "/api/v1/payments/{paymentId}",
             [e](const Request& r) { return handle_get_payment(e->get_payment, r); });
  return router;
}

}  // namespace payment::http
