#pragma once

#include <optional>
#include <pqxx/transaction>
#include <vector>

#include "application/clock.hpp"
#include "application/ports/token_repository.hpp"

namespace queue::sql {

// Issues tokens for a batch of concurrent requests in one transaction under the line lock:
// one commit for many visitors, places consecutive in request order, admission at issue in
// place order. Touches nothing but the transaction, so the pool may re-run it after a conflict.
// `clock` is read once the line lock is held.
std::vector<IssueResult> issue_batch(pqxx::work& txn, const std::vector<IssueRequest>& requests,
                                     const ClockFn& clock);

}  // namespace queue::sql
