#pragma once

#include <string_view>

#include "clock.hpp"
#include "domain/token_state.hpp"
#include "heartbeats.hpp"
#include "line_view.hpp"
#include "ports/token_repository.hpp"

namespace queue {

// A visitor asks where they stand. Counts as a heartbeat for a WAITING token.
class PollToken {
 public:
  PollToken(TokenRepository& tokens, const LineView& line, Heartbeats& heartbeats, ClockFn clock)
      : tokens_(tokens), line_(line), heartbeats_(heartbeats), clock_(std::move(clock)) {}

  ticketing::Result<TokenState, QueueError> Execute(std::string_view token_value);

 private:
  TokenRepository& tokens_;
  const LineView& line_;
  Heartbeats& heartbeats_;
  ClockFn clock_;
};

}  // namespace queue
