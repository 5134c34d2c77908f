#include "public_handlers.hpp"

#include "errors.hpp"
#include "requests.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/http/reply.hpp"
#include "ticketing/http/service.hpp"
#include "ticketing/json/writer.hpp"
#include "token_json.hpp"

namespace queue::http {

void handle_issue_token(IssueToken& issue, const Request& request,
                        ticketing::http::Respond respond) {
  auto command = parse_issue_token(request.body);
  if (!command) return respond(invalid_request(command.error()));
  issue.Execute(
      command.value(),
      ticketing::http::reply_with<IssueToken::Result>(std::move(respond), [](auto issued) {
        if (!issued) return problem_for(issued.error());
        return ticketing::http::json_response(issued->created ? 201 : 200,
                                              token_state_json(issued->state));
      }));
}

void handle_poll_token(PollToken& poll, const Request& request, ticketing::http::Respond respond) {
  poll.Execute(std::string(ticketing::http::bearer_token(request)),
               ticketing::http::reply_with<PollToken::Result>(std::move(respond), [](auto state) {
                 if (!state) return problem_for(state.error());
                 return ticketing::http::json_response(200, token_state_json(state.value()));
               }));
}

namespace {

std::optional<std::string> rfc3339(const std::optional<TimePoint>& at) {
  if (!at) return std::nullopt;
  return ticketing::format_rfc3339(*at);
}

Response line_json(const LineControl& line) {
  ticketing::json::Writer w;
  w.begin_object()
      .field("capacity", line.settings.capacity)
      .field("paused", line.settings.paused)
      .field("active", line.active)
      .field("waiting", line.waiting)
      .field("opensAt", rfc3339(line.opens_at))
      .field("soldOut", line.sold_out)
      .end_object();
  return ticketing::http::json_response(200, w.take());
}

}  // namespace

Response handle_get_opening(const Endpoints& endpoints, const Request&) {
  const auto opening = endpoints.manage.Opening();
  if (!opening) {
    return ticketing::http::problem(404, "NOT_FOUND", "no opening time was ever set");
  }
  ticketing::json::Writer w;
  w.begin_object()
      .field("opensAt", ticketing::format_rfc3339(opening->opens_at))
      .field("seedSha256", opening->seed_sha256)
      .field("earlyCount", opening->early_count)
      .field("seed", opening->seed)
      .end_object();
  return ticketing::http::json_response(200, w.take());
}

Response handle_get_line(const Endpoints& endpoints, const Request& request) {
  if (!ticketing::http::admin_key_matches(request, endpoints.admin_key))
    return ticketing::http::admin_key_refused(endpoints.admin_key);
  return line_json(endpoints.manage.Get());
}

Response handle_update_line(const Endpoints& endpoints, const Request& request) {
  if (!ticketing::http::admin_key_matches(request, endpoints.admin_key))
    return ticketing::http::admin_key_refused(endpoints.admin_key);
  auto command = parse_update_line(request.body);
  if (!command) return invalid_request(command.error());
  return line_json(endpoints.manage.Update(command.value()));
}

}  // namespace queue::http
