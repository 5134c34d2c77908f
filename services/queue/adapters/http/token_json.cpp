#include "token_json.hpp"

#include "ticketing/json/writer.hpp"

namespace queue::http {

namespace {
std::optional<std::string> rfc3339(const std::optional<TimePoint>& at) {
  if (!at) return std::nullopt;
  return ticketing::format_rfc3339(*at);
}
}  // namespace

std::string token_state_json(const TokenState& state) {
  ticketing::json::Writer w;
  return w.begin_object()
      .field("token", state.token.value)
      .field("userId", state.token.user_id)
      .field("status", to_string(state.token.status))
      .field("position", state.position)
      .field("estimatedWaitSeconds", state.estimated_wait_seconds)
      .field("expiresAt", rfc3339(state.token.expires_at))
      .field("opensAt", rfc3339(state.opens_at))
      .field("soldOut", state.sold_out)
      .field("pollAfterSeconds", state.poll_after_seconds)
      .field("arrivalNumber", state.token.arrival_number)
      .end_object()
      .take();
}

}  // namespace queue::http
