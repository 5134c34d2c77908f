#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// Ends a token for good (after a payment, its holder makes room for the next visitor).
// Idempotent: expiring an ended token succeeds and changes nothing.
class ExpireToken {
 public:
  ExpireToken(TokenRepository& tokens, ClockFn clock) : tokens_(tokens), clock_(std::move(clock)) {}

  ticketing::Result<Token, QueueError> Execute(std::string_view token_value);

 private:
  TokenRepository& tokens_;
  ClockFn clock_;
};

}  // namespace queue
