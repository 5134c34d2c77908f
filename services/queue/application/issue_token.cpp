#include "issue_token.hpp"

#include "ticketing/ids.hpp"

namespace queue {

void IssueToken::Execute(const IssueTokenCommand& command, Callback done) {
  if (command.user_id && !ticketing::is_canonical_uuid(*command.user_id)) {
    return done(ticketing::Completed<Result>::with(ticketing::fail(QueueError::invalid_user_id)));
  }
  IssueRequest request{command.user_id, command.user_id ? "" : ticketing::RandomIds::uuid_v4(),
                       ticketing::RandomIds::hex128(), token_ttl_};
  tokens_.issue(request, [this, done = std::move(done)](ticketing::Completed<IssueResult> issued) {
    try {
      auto outcome = std::move(issued).get();
      if (!outcome)
        return done(ticketing::Completed<Result>::with(ticketing::fail(outcome.error())));
      line_.advance_served(outcome->served_place);
      done(ticketing::Completed<Result>::with(
          IssuedToken{describe(outcome->token, *line_.snapshot(), clock_()), outcome->created}));
    } catch (...) {
      done(ticketing::Completed<Result>::failed(std::current_exception()));
    }
  });
}

}  // namespace queue
