#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "application/clock.hpp"
#include "application/ports/token_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace queue {

// Tokens in PostgreSQL. Concurrent issue() calls are gathered into batches that one worker
// thread commits together (see sql::issue_batch): the line lock is taken once per batch, not
// once per visitor, so issue throughput is not capped by one commit per token.
class PostgresTokenRepository final : public TokenRepository {
 public:
  static constexpr std::size_t kMaxBatch = 512;

  PostgresTokenRepository(ticketing::db::Pool& pool, ClockFn clock);
  ~PostgresTokenRepository() override;

  std::optional<Token> find(std::string_view token_value) override;
  void issue(const IssueRequest& request, IssueCallback done) override;
  std::optional<Token> expire(std::string_view token_value) override;

 private:
  struct Pending {
    IssueRequest request;
    IssueCallback done;
  };

  void run_batches();

  ticketing::db::Pool& pool_;
  ClockFn clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> pending_;
  bool stopping_ = false;
  std::thread worker_;
};

class PostgresUserRepository final : public UserRepository {
 public:
  explicit PostgresUserRepository(ticketing::db::Pool& pool) : pool_(pool) {}
  bool exists(std::string_view user_id) override;

 private:
  ticketing::db::Pool& pool_;
};

}  // namespace queue
