#pragma once

#include <functional>
#include <string>

#include "clock.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// The gateway asks, on every queue-gated request, whether a token lets its holder in.
class VerifyToken {
 public:
  using Result = ticketing::Result<Token, QueueError>;
  using Callback = std::function<void(ticketing::Completed<Result>)>;

  VerifyToken(TokenRepository& tokens, ClockFn clock) : tokens_(tokens), clock_(std::move(clock)) {}

  // Calls `done` once, possibly on another thread, with the ACTIVE token or why it does not admit.
  void Execute(std::string token_value, Callback done);

 private:
  TokenRepository& tokens_;
  ClockFn clock_;
};

}  // namespace queue
