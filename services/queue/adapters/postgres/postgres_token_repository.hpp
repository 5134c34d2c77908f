#pragma once

#include "adapters/cache/active_token_cache.hpp"
#include "application/clock.hpp"
#include "application/ports/token_repository.hpp"
#include "ticketing/batcher.hpp"
#include "ticketing/db/pool.hpp"
#include "ticketing/remembered_strings.hpp"

namespace queue {

// Tokens in PostgreSQL; concurrent issues, lookups and ends are each batched (services/README.md,
// "The queue: fast and fair"). ACTIVE tokens are answered from `cache` while it is trusted.
class PostgresTokenRepository final : public TokenRepository {
 public:
  static constexpr std::size_t kMaxIssueBatch = 512;
  static constexpr std::size_t kMaxLookupBatch = 256;
  static constexpr std::size_t kMaxEndBatch = 256;

  PostgresTokenRepository(ticketing::db::Pool& pool, ClockFn clock, ActiveTokenCache& cache,
                          ticketing::RememberedStrings& known_users);

  void find(std::string token_value, FindCallback done) override;
  void issue(const IssueRequest& request, IssueCallback done) override;
  std::optional<Token> expire(std::string_view token_value) override;

 private:
  std::vector<std::optional<Token>> find_all(const std::vector<std::string>& token_values);
  std::vector<IssueResult> issue_all(const std::vector<IssueRequest>& requests);
  std::optional<Token> end(const std::string& token_value);
  std::vector<std::optional<Token>> end_all_active(const std::vector<std::string>& token_values);

  ticketing::db::Pool& pool_;
  ClockFn clock_;
  ActiveTokenCache& cache_;
  ticketing::RememberedStrings& known_users_;
  // Declared last: destroyed first, finishing their queued work while the pool still exists.
  ticketing::Batcher<std::string, std::optional<Token>> lookups_;
  ticketing::Batcher<IssueRequest, IssueResult> issues_;
  ticketing::Batcher<std::string, std::optional<Token>> active_ends_;
};

class PostgresUserRepository final : public UserRepository {
 public:
  // Users are never deleted: a user in `known_users` (minted by this replica, or found before)
  // is answered from memory.
  PostgresUserRepository(ticketing::db::Pool& pool, ticketing::RememberedStrings& known_users)
      : pool_(pool), known_(known_users) {}
  bool exists(std::string_view user_id) override;

 private:
  ticketing::db::Pool& pool_;
  ticketing::RememberedStrings& known_;
};

}  // namespace queue
