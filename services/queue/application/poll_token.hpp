#pragma once

#include <functional>
#include <string>

#include "clock.hpp"
#include "domain/token_state.hpp"
#include "heartbeats.hpp"
#include "line_view.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// A visitor asks where they stand. Counts as a heartbeat for a WAITING token.
class PollToken {
 public:
  using Result = ticketing::Result<TokenState, QueueError>;
  using Callback = std::function<void(ticketing::Completed<Result>)>;

  PollToken(TokenRepository& tokens, const LineView& line, Heartbeats& heartbeats, ClockFn clock)
      : tokens_(tokens), line_(line), heartbeats_(heartbeats), clock_(std::move(clock)) {}

  // Calls `done` once, possibly on another thread.
  void Execute(std::string token_value, Callback done);

 private:
  TokenRepository& tokens_;
  const LineView& line_;
  Heartbeats& heartbeats_;
  ClockFn clock_;
};

}  // namespace queue
