#pragma once

#include <string_view>

#include "clock.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// The gateway asks, on every queue-gated request, whether a token lets its holder in.
class VerifyToken {
 public:
  VerifyToken(TokenRepository& tokens, ClockFn clock) : tokens_(tokens), clock_(std::move(clock)) {}

  // The ACTIVE token, or why it does not admit.
  ticketing::Result<Token, QueueError> Execute(std::string_view token_value);

 private:
  TokenRepository& tokens_;
  ClockFn clock_;
};

}  // namespace queue
