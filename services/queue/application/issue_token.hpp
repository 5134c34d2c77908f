#pragma once

#include <optional>
#include <string>

#include "clock.hpp"
#include "domain/token_state.hpp"
#include "line_view.hpp"
#include "ports/token_repository.hpp"

namespace queue {

struct IssueTokenCommand {
  std::optional<std::string> user_id;  // absent: a new user is minted ("logs in")
};

struct IssuedToken {
  TokenState state;
  bool created = false;
};

class IssueToken {
 public:
  IssueToken(TokenRepository& tokens, LineView& line, std::chrono::seconds token_ttl, ClockFn clock)
      : tokens_(tokens), line_(line), token_ttl_(token_ttl), clock_(std::move(clock)) {}

  using Result = ticketing::Result<IssuedToken, QueueError>;
  using Callback = std::function<void(ticketing::Completed<Result>)>;

  // Calls `done` once, possibly on another thread, with the issued token or why not.
  void Execute(const IssueTokenCommand& command, Callback done);

 private:
  TokenRepository& tokens_;
  LineView& line_;
  std::chrono::seconds token_ttl_;
  ClockFn clock_;
};

}  // namespace queue
