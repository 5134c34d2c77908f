#include "verify_token.hpp"

namespace queue {

void VerifyToken::Execute(std::string token_value, bool accept_ended, Callback done) {
  if (!is_well_formed_token(token_value)) {
    return done(ticketing::Completed<Result>::with(ticketing::fail(QueueError::token_invalid)));
  }
  tokens_.find(std::move(token_value), [this, accept_ended, done = std::move(done)](auto found) {
    try {
      auto token = std::move(found).get();
      QueueError refusal = QueueError::token_invalid;
      if (token && !is_live(*token, clock_())) {
        if (accept_ended && was_admitted(*token)) {
          return done(ticketing::Completed<Result>::with(VerifiedToken{std::move(*token), true}));
        }
        refusal = QueueError::token_expired;
      } else if (token && token->status != TokenStatus::active) {
        refusal = QueueError::token_not_active;
      } else if (token) {
        return done(ticketing::Completed<Result>::with(VerifiedToken{std::move(*token), false}));
      }
      done(ticketing::Completed<Result>::with(ticketing::fail(refusal)));
    } catch (...) {
      done(ticketing::Completed<Result>::failed(std::current_exception()));
    }
  });
}

}  // namespace queue
