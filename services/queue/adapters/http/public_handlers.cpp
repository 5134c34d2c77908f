#include "public_handlers.hpp"

#include "errors.hpp"
#include "reply.hpp"
#include "requests.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/json/writer.hpp"
#include "token_json.hpp"

namespace queue::http {

void handle_issue_token(IssueToken& issue, const Request& request,
                        ticketing::http::Respond respond) {
  auto command = parse_issue_token(request.body);
  if (!command) return respond(invalid_request(command.error()));
  issue.Execute(command.value(), reply_with<IssueToken::Result>(std::move(respond), [](auto issued) {
    if (!issued) return problem_for(issued.error());
    return ticketing::http::json_response(issued->created ? 201 : 200,
                                          token_state_json(issued->state));
  }));
}

void handle_poll_token(PollToken& poll, const Request& request, ticketing::http::Respond respond) {
  poll.Execute(std::string(bearer_token(request)),
               reply_with<PollToken::Result>(std::move(respond), [](auto state) {
                 if (!state) return problem_for(state.error());
                 return ticketing::http::json_response(200, token_state_json(state.value()));
               }));
}

namespace {

Response line_json(const LineControl& line) {
  ticketing::json::Writer w;
  w.begin_object()
      .field("capacity", line.settings.capacity)
      .field("paused", line.settings.paused)
      .field("active", line.active)
      .field("waiting", line.waiting)
      .end_object();
  return ticketing::http::json_response(200, w.take());
}

Response admin_refused(const Endpoints& endpoints) {
  return ticketing::http::problem(401, "ADMIN_KEY_INVALID",
                                  endpoints.admin_key
                                      ? "a valid X-Admin-Key header is required"
                                      : "the admin API is disabled: ADMIN_API_KEY is not set");
}

}  // namespace

Response handle_get_line(const Endpoints& endpoints, const Request& request) {
  if (!admin_key_matches(request, endpoints.admin_key)) return admin_refused(endpoints);
  return line_json(endpoints.manage.Get());
}

Response handle_update_line(const Endpoints& endpoints, const Request& request) {
  if (!admin_key_matches(request, endpoints.admin_key)) return admin_refused(endpoints);
  auto command = parse_update_line(request.body);
  if (!command) return invalid_request(command.error());
  return line_json(endpoints.manage.Update(command.value()));
}

}  // namespace queue::http
