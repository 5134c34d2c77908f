#pragma once

#include <string_view>

#include "ports/token_repository.hpp"

namespace queue {

// Ends a token for good (after a payment, its holder makes room for the next visitor).
// Idempotent: expiring an ended token succeeds and changes nothing.
class ExpireToken {
 public:
  explicit ExpireToken(TokenRepository& tokens) : tokens_(tokens) {}

  ticketing::Result<Token, QueueError> Execute(std::string_view token_value);

 private:
  TokenRepository& tokens_;
};

}  // namespace queue
