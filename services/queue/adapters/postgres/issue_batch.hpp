#pragma once

#include <optional>
#include <pqxx/transaction>
#include <vector>

#include "application/ports/token_repository.hpp"

namespace queue::sql {

using IssueResult = ticketing::Result<IssueOutcome, QueueError>;

// Issues tokens for a batch of concurrent requests in one transaction under the line lock:
// one commit for many visitors, places consecutive in request order, admission at issue in
// place order. Pure with respect to its inputs, so the pool may re-run it after a conflict.
std::vector<IssueResult> issue_batch(pqxx::work& txn, const std::vector<IssueRequest>& requests);

}  // namespace queue::sql
