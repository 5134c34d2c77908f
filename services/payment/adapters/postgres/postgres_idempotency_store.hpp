#pragma once

#include "application/ports/idempotency_store.hpp"
#include "ticketing/db/pool.hpp"

namespace payment {

// Idempotency keys in PostgreSQL (schema payment; statements in statements.cpp). A claim is an
// INSERT ... ON CONFLICT DO NOTHING on the key's primary key, so of any number of concurrent
// first requests exactly one runs; a take-over is conditional on the start it saw.
class PostgresIdempotencyStore final : public IdempotencyStore {
 public:
  // A claim whose key keeps vanishing between insert and read (released or purged each time)
  // gives up after this many tries.
  static constexpr int kMaxClaimAttempts = 5;

  explicit PostgresIdempotencyStore(ticketing::db::Pool& pool) : pool_(pool) {}

  std::optional<IdempotencyRecord> claim(const KeyRef& ref, std::string_view fingerprint,
                                         TimePoint now) override;
  std::optional<IdempotencyRecord> find(const KeyRef& ref) override;
  bool take_over(const KeyRef& ref, TimePoint started_at, TimePoint now) override;
  void finish(const KeyRef& ref, const StoredResponse& response) override;
  void release(const KeyRef& ref) override;
  int purge_before(TimePoint before) override;

 private:
  ticketing::db::Pool& pool_;
};

}  // namespace payment
