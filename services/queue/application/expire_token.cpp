#include "expire_token.hpp"

namespace queue {

ticketing::Result<Token, QueueError> ExpireToken::Execute(std::string_view token_value) {
  if (!is_well_formed_token(token_value)) return ticketing::fail(QueueError::token_invalid);
  auto token = tokens_.expire(token_value);
  if (!token) return ticketing::fail(QueueError::token_invalid);
  return std::move(*token);
}

}  // namespace queue
