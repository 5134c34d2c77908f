#include "poll_token.hpp"

namespace queue {

void PollToken::Execute(std::string token_value, Callback done) {
  if (!is_well_formed_token(token_value)) {
    return done(ticketing::Completed<Result>::with(ticketing::fail(QueueError::token_invalid)));
  }
  tokens_.find(std::move(token_value), [this, done = std::move(done)](auto found) {
    try {
      auto token = std::move(found).get();
      if (!token)
        return done(ticketing::Completed<Result>::with(ticketing::fail(QueueError::token_invalid)));
      if (!is_live(*token, clock_())) {
        return done(ticketing::Completed<Result>::with(ticketing::fail(QueueError::token_expired)));
      }
      if (token->status == TokenStatus::waiting) heartbeats_.record(token->value);
      done(ticketing::Completed<Result>::with(describe(*token, *line_.snapshot(), clock_())));
    } catch (...) {
      done(ticketing::Completed<Result>::failed(std::current_exception()));
    }
  });
}

}  // namespace queue
