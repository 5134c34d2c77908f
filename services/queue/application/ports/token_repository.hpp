#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/token.hpp"
#include "ticketing/completed.hpp"
#include "ticketing/result.hpp"

namespace queue {

struct IssueRequest {
  std::optional<std::string> user_id;  // nullopt: mint a new user with new_user_id
  std::string new_user_id;
  std::string token_value;         // used if a new token is created
  std::chrono::seconds token_ttl;  // for a token admitted at once
};

struct IssueOutcome {
  Token token;
  bool created = false;           // false: the user's live token returned again
  std::int64_t served_place = 0;  // the line's served counter as the token was issued
};

using IssueResult = ticketing::Result<IssueOutcome, QueueError>;
using FindCallback = std::function<void(ticketing::Completed<std::optional<Token>>)>;
// Called once, on any thread, when the issue is decided (or failed, e.g. database unavailable).
using IssueCallback = std::function<void(ticketing::Completed<IssueResult>)>;

// Where tokens live. Adapters read the clock themselves, under the same lock that orders the
// change, so that issue and admission times follow the order of the line.
// issue() is the one place that enforces, atomically across replicas:
// one live token per user, places in order of issue without gaps, and admission at issue only
// when nobody waits and capacity is free (see domain admit_on_arrival).
class TokenRepository {
 public:
  virtual ~TokenRepository() = default;

  // The token with this value (which must be well formed, see is_well_formed_token), or nullopt.
  virtual void find(std::string token_value, FindCallback done) = 0;
  // Asynchronous so that no thread waits while concurrent issues are gathered into one commit.
  virtual void issue(const IssueRequest& request, IssueCallback done) = 0;
  // Ends a live token (EXPIRED); returns the token as it now is, nullopt if unknown.
  // The line's counters may show the end only after the next admission pass.
  virtual std::optional<Token> expire(std::string_view token_value) = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual bool exists(std::string_view user_id) = 0;
};

}  // namespace queue
