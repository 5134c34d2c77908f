#include "token_json.hpp"

#include "ticketing/json/writer.hpp"

namespace queue::http {

std::string token_state_json(const TokenState& state) {
  ticketing::json::Writer w;
  w.begin_object()
      .field("token", state.token.value)
      .field("userId", state.token.user_id)
      .field("status", to_string(state.token.status))
      .field("position", state.position)
      .field("estimatedWaitSeconds", state.estimated_wait_seconds)
      .key("expiresAt");
  if (state.token.expires_at) {
    w.value(ticketing::format_rfc3339(*state.token.expires_at));
  } else {
    w.value(nullptr);
  }
  return w.end_object().take();
}

}  // namespace queue::http
