#include "verify_token.hpp"

namespace queue {

ticketing::Result<Token, QueueError> VerifyToken::Execute(std::string_view token_value) {
  if (!is_well_formed_token(token_value)) return ticketing::fail(QueueError::token_invalid);
  auto token = tokens_.find(token_value);
  if (!token) return ticketing::fail(QueueError::token_invalid);
  if (!is_live(*token, clock_())) return ticketing::fail(QueueError::token_expired);
  if (token->status != TokenStatus::active) return ticketing::fail(QueueError::token_not_active);
  return std::move(*token);
}

}  // namespace queue
