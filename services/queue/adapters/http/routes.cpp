#include "routes.hpp"

#include "internal_handlers.hpp"
#include "public_handlers.hpp"
#include "ticketing/http/problem.hpp"

namespace queue::http {

using ticketing::http::Method;
using ticketing::http::Router;

Router make_router(Endpoints endpoints) {
  auto e = std::make_shared<Endpoints>(std::move(endpoints));
  Router router;
  router.add_async(Method::post, "/api/v1/queue/tokens", [e](const Request& r, auto respond) {
    handle_issue_token(e->issue, r, std::move(respond));
  });
  router.add_async(Method::get, "/api/v1/queue/tokens/me", [e](const Request& r, auto respond) {
    handle_poll_token(e->poll, r, std::move(respond));
  });
  router.add(Method::get, "/api/v1/queue/opening",
             [e](const Request& r) { return handle_get_opening(*e, r); });
  router.add(Method::get, "/api/v1/admin/queue",
             [e](const Request& r) { return handle_get_line(*e, r); });
  router.add(Method::put, "/api/v1/admin/queue",
             [e](const Request& r) { return handle_update_line(*e, r); });

  router.add_async(Method::get, "/internal/v1/tokens/verify", [e](const Request& r, auto respond) {
    handle_verify_token(e->verify, r, std::move(respond));
  });
  router.add(Method::post, "/internal/v1/tokens/{token}/expire",
             [e](const Request& r) { return handle_expire_token(e->expire, r); });
  router.add(Method::get, "/internal/v1/users/{userId}",
             [e](const Request& r) { return handle_lookup_user(e->lookup, r); });

  return router;
}

}  // namespace queue::http
