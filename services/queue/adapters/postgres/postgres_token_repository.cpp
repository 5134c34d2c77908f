#include "postgres_token_repository.hpp"

#include "issue_batch.hpp"
#include "rows.hpp"
#include "statements.hpp"

namespace queue {

PostgresTokenRepository::PostgresTokenRepository(ticketing::db::Pool& pool, ClockFn clock)
    : pool_(pool), clock_(std::move(clock)), worker_([this] { run_batches(); }) {}

PostgresTokenRepository::~PostgresTokenRepository() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

std::optional<Token> PostgresTokenRepository::find(std::string_view token_value) {
  return pool_.query([&](auto& txn) -> std::optional<Token> {
    auto rows = txn.exec_prepared("find_token", std::string(token_value));
    if (rows.empty()) return std::nullopt;
    return sql::token_from(rows[0]);
  });
}

void PostgresTokenRepository::issue(const IssueRequest& request, IssueCallback done) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back({request, std::move(done)});
  }
  wake_.notify_one();
}

void PostgresTokenRepository::run_batches() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, nothing left to serve
      const auto take = static_cast<std::ptrdiff_t>(std::min(pending_.size(), kMaxBatch));
      batch.assign(std::make_move_iterator(pending_.begin()),
                   std::make_move_iterator(pending_.begin() + take));
      pending_.erase(pending_.begin(), pending_.begin() + take);
    }
    std::vector<IssueRequest> requests;
    requests.reserve(batch.size());
    for (const auto& pending : batch) requests.push_back(pending.request);
    std::vector<IssueResult> results;
    try {
      results = pool_.write([&](pqxx::work& txn) { return sql::issue_batch(txn, requests, clock_); });
    } catch (...) {
      const auto error = std::current_exception();
      for (auto& pending : batch) pending.done(ticketing::Completed<IssueResult>::failed(error));
      continue;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(ticketing::Completed<IssueResult>::with(std::move(results[i])));
    }
  }
}

std::optional<Token> PostgresTokenRepository::expire(std::string_view token_value) {
  return pool_.write([&](pqxx::work& txn) -> std::optional<Token> {
    txn.exec_prepared("lock_line", sql::kLineLock);
    const TimePoint now = clock_();
    auto rows = txn.exec_prepared("lock_token", std::string(token_value));
    if (rows.empty()) return std::nullopt;
    Token token = sql::token_from(rows[0]);
    const bool was_active = token.status == TokenStatus::active;
    if (!was_active && token.status != TokenStatus::waiting) return token;  // already ended
    txn.exec_prepared("end_token", token.value, sql::micros(now));
    // A waiting token that leaves no longer stands ahead of anyone.
    if (!was_active) txn.exec_prepared("vacate_place", token.place);
    txn.exec_prepared("move_line", was_active ? -1 : 0, was_active ? 0 : -1, 0, 0, 0, 1, 0);
    token.status = TokenStatus::expired;
    return token;
  });
}

bool PostgresUserRepository::exists(std::string_view user_id) {
  return pool_.query([&](auto& txn) {
    return !txn.exec_prepared("user_exists", std::string(user_id)).empty();
  });
}

}  // namespace queue
