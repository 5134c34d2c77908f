#include "poll_token.hpp"

namespace queue {

ticketing::Result<TokenState, QueueError> PollToken::Execute(std::string_view token_value) {
  if (!is_well_formed_token(token_value)) return ticketing::fail(QueueError::token_invalid);
  auto token = tokens_.find(token_value);
  if (!token) return ticketing::fail(QueueError::token_invalid);
  if (!is_live(*token, clock_())) return ticketing::fail(QueueError::token_expired);
  if (token->status == TokenStatus::waiting) heartbeats_.record(token->value);
  return describe(*token, *line_.snapshot());
}

}  // namespace queue
