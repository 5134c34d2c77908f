#pragma once

#include <optional>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <vector>

#include "application/clock.hpp"
#include "application/ports/token_repository.hpp"

namespace queue::sql {

// Issue for a batch of concurrent requests: one commit, places and times in request order.
// New visitors only: one call of issue_to_new_users (migration 005), one round trip; run it with
// Pool::execute, since a lost link leaves its outcome unknown and it must not run twice.
bool only_new_users(const std::vector<IssueRequest>& requests);
std::vector<IssueResult> issue_to_new_users(pqxx::nontransaction& txn,
                                            const std::vector<IssueRequest>& requests,
                                            const ClockFn& clock);
// Any batch, returning users included: a transaction of several statements under the line lock.
// Touches nothing but the transaction, so the pool may re-run it after a conflict. `clock` is
// read once the line lock is held.
std::vector<IssueResult> issue_batch(pqxx::work& txn, const std::vector<IssueRequest>& requests,
                                     const ClockFn& clock);

}  // namespace queue::sql
