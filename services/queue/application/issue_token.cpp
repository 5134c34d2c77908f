#include "issue_token.hpp"

#include "ticketing/ids.hpp"

namespace queue {

ticketing::Result<IssuedToken, QueueError> IssueToken::Execute(const IssueTokenCommand& command) {
  if (command.user_id && !ticketing::is_canonical_uuid(*command.user_id)) {
    return ticketing::fail(QueueError::invalid_user_id);
  }
  IssueRequest request{command.user_id, command.user_id ? "" : ticketing::RandomIds::uuid_v4(),
                       ticketing::RandomIds::hex128(), token_ttl_};
  auto outcome = tokens_.issue(request);
  if (!outcome) return ticketing::fail(outcome.error());
  line_.advance_served(outcome->served_place);
  return IssuedToken{describe(outcome->token, *line_.snapshot()), outcome->created};
}

}  // namespace queue
