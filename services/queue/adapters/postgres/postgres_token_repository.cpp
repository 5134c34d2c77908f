#include "postgres_token_repository.hpp"

#include <unordered_map>

#include "issue_batch.hpp"
#include "rows.hpp"
#include "statements.hpp"
#include "ticketing/wait_for.hpp"

namespace queue {

namespace {

// The tokens of `rows`, by their value.
std::unordered_map<std::string, Token> by_value(const pqxx::result& rows) {
  std::unordered_map<std::string, Token> tokens;
  for (const auto& row : rows) {
    auto token = sql::token_from(row);
    tokens.emplace(token.value, std::move(token));
  }
  return tokens;
}

// A batch's answers, one per value asked and in the same order: its token, or nullopt.
std::vector<std::optional<Token>> in_order_asked(
    const std::vector<std::string>& token_values,
    const std::unordered_map<std::string, Token>& tokens) {
  std::vector<std::optional<Token>> out;
  out.reserve(token_values.size());
  for (const auto& value : token_values) {
    auto it = tokens.find(value);
    out.push_back(it == tokens.end() ? std::nullopt : std::optional<Token>(it->second));
  }
  return out;
}

}  // namespace

PostgresTokenRepository::PostgresTokenRepository(ticketing::db::Pool& pool, ClockFn clock,
                                                 ActiveTokenCache& cache,
                                                 ticketing::RememberedStrings& known_users)
    : pool_(pool),
      clock_(std::move(clock)),
      cache_(cache),
      known_users_(known_users),
      lookups_(kMaxLookupBatch, [this](const auto& values) { return find_all(values); }),
      issues_(kMaxIssueBatch, [this](const auto& requests) { return issue_all(requests); }),
      active_ends_(kMaxEndBatch, [this](const auto& values) { return end_all_active(values); }) {}

void PostgresTokenRepository::find(std::string token_value, FindCallback done) {
  if (auto cached = cache_.find(token_value)) {
    return done(ticketing::Completed<std::optional<Token>>::with(std::move(cached)));
  }
  lookups_.submit(std::move(token_value), std::move(done));
}

std::vector<std::optional<Token>> PostgresTokenRepository::find_all(
    const std::vector<std::string>& token_values) {
  const auto stamp = cache_.stamp();  // before reading: ends from now on overtake this read
  const auto found = by_value(pool_.query([&](auto& txn) {
    return txn.exec_prepared("find_tokens", sql::array_literal(token_values));
  }));
  for (const auto& [value, token] : found) cache_.fill(token, stamp);
  return in_order_asked(token_values, found);
}

void PostgresTokenRepository::issue(const IssueRequest& request, IssueCallback done) {
  issues_.submit(request, std::move(done));
}

std::vector<IssueResult> PostgresTokenRepository::issue_all(
    const std::vector<IssueRequest>& requests) {
  // Tokens ACTIVE at issue are kept in memory at once: a visitor's first gated request comes
  // right after, and would otherwise read the token back from the database.
  const auto stamp = cache_.stamp();
  const auto results = sql::only_new_users(requests)
                           ? pool_.execute([&](pqxx::nontransaction& txn) {
                               return sql::issue_to_new_users(txn, requests, clock_);
                             })
                           : pool_.write([&](pqxx::work& txn) {
                               return sql::issue_batch(txn, requests, clock_);
                             });
  for (const auto& result : results) {
    if (result) {
      cache_.fill(result->token, stamp);
      known_users_.remember(result->token.user_id);
    }
  }
  return results;
}

std::optional<Token> PostgresTokenRepository::expire(std::string_view token_value) {
  const std::string value(token_value);
  // Forgotten here at once, so this replica refuses the token as soon as expire returns; the
  // other replicas hear of it from the statement's pg_notify. Also after a failure: the end may
  // have committed even so, and forgetting a live token only costs a database read.
  try {
    auto token = end(value);
    cache_.forget_ended(value);
    return token;
  } catch (...) {
    cache_.forget_ended(value);
    throw;
  }
}

std::optional<Token> PostgresTokenRepository::end(const std::string& value) {
  // Locks only the token's row: the line's counters catch up in the next admission pass
  // (uncounted_expiries), so expiries after payments never wait for one another.
  // ACTIVE tokens in batches of one statement; any other locks the row and decides.
  auto ended = ticketing::wait_for<std::optional<Token>>(
      [&](auto done) { active_ends_.submit(value, std::move(done)); });
  if (ended) return ended;
  return pool_.write([&](pqxx::work& txn) -> std::optional<Token> {
    const TimePoint now = clock_();
    // A waiting early token without a place may be in a draw that has not committed yet: the
    // line lock (taken before the row's, as the admission pass does) waits for it, so the
    // token's drawn place is either recorded by that draw or read here and vacated below.
    const auto seen = txn.exec_prepared("find_token", value);
    if (!seen.empty()) {
      const auto before = sql::token_from(seen[0]);
      if (before.status == TokenStatus::waiting && before.place == 0)
        txn.exec_prepared("lock_line", sql::kLineLock);
    }
    auto rows = txn.exec_prepared("lock_token", value);
    if (rows.empty()) return std::nullopt;
    Token token = sql::token_from(rows[0]);
    const bool was_active = token.status == TokenStatus::active;
    if (!was_active && token.status != TokenStatus::waiting) return token;  // already ended
    txn.exec_prepared("end_token", token.value, sql::micros(now));
    // A waiting token that leaves no longer stands ahead of anyone (an early one's place is
    // recorded by the draw that gives it).
    if (!was_active && token.place != 0) txn.exec_prepared("vacate_place", token.place);
    txn.exec_prepared("count_later", token.value, was_active);
    token.status = TokenStatus::expired;
    return token;
  });
}

std::vector<std::optional<Token>> PostgresTokenRepository::end_all_active(
    const std::vector<std::string>& token_values) {
  const auto ended = by_value(pool_.execute([&](pqxx::nontransaction& txn) {
    return txn.exec_prepared("end_active_tokens", sql::array_literal(token_values),
                             sql::micros(clock_()));
  }));
  return in_order_asked(token_values, ended);
}

bool PostgresUserRepository::exists(std::string_view user_id) {
  return known_.remembered_or(user_id, [&] {
    return pool_.query(
        [&](auto& txn) { return !txn.exec_prepared("user_exists", std::string(user_id)).empty(); });
  });
}

}  // namespace queue
