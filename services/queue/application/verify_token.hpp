#pragma once

#include <functional>
#include <string>

#include "clock.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// A token that lets its holder in; `ended` only when the caller accepted ended tokens.
struct VerifiedToken {
  Token token;
  bool ended = false;
};

// The gateway asks, on every queue-gated request, whether a token lets its holder in.
class VerifyToken {
 public:
  using Result = ticketing::Result<VerifiedToken, QueueError>;
  using Callback = std::function<void(ticketing::Completed<Result>)>;

  VerifyToken(TokenRepository& tokens, ClockFn clock) : tokens_(tokens), clock_(std::move(clock)) {}

  // Calls `done` once, possibly on another thread, with the ACTIVE token or why it does not admit.
  // With `accept_ended`, a token that was admitted and has ended since (used up by its payment, or
  // lapsed) is returned too, marked ended: a payment's retry may still ask for its own answer.
  void Execute(std::string token_value, bool accept_ended, Callback done);

 private:
  TokenRepository& tokens_;
  ClockFn clock_;
};

}  // namespace queue
