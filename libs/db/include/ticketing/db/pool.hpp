#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ticketing/db/errors.hpp"
#include "ticketing/log/logger.hpp"

namespace ticketing::db {

struct PoolOptions {
  std::string url;
  std::size_t size = 8;
  std::chrono::milliseconds acquire_timeout{2000};
};

enum class Isolation { read_committed, repeatable_read, serializable };

// A snapshot for /metrics.
struct PoolStats {
  std::size_t open = 0;       // connections open or being opened
  std::size_t idle = 0;       // open and free
  std::size_t waiting = 0;    // threads waiting for a free connection
  std::uint64_t retries = 0;  // transactions re-run (serialization failure, deadlock, lost link)
};

// The one way services talk to PostgreSQL: a bounded set of connections, opened lazily (a
// service starts even while the database is down; readiness asks ping()), with read and write
// transactions that retry what is safe to retry and turn a lost database into db::Unavailable.
// The function given to read/write may run more than once: it must only touch the database
// through the transaction it is given (or be otherwise idempotent).
class Pool {
 public:
  using OnConnect = std::function<void(pqxx::connection&)>;
  static constexpr int max_write_attempts = 5;

  // `on_connect` runs on every new connection (prepare statements there).
  Pool(PoolOptions options, OnConnect on_connect, const log::Logger& logger);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Runs f(pqxx::work&) at `isolation` and commits; returns what f returns. Serialization
  // failures and deadlocks re-run f (up to max_write_attempts, jittered backoff); a connection
  // lost before COMMIT re-runs it once on a fresh connection. Throws db::Unavailable when the
  // database cannot be reached or the commit outcome is unknown; other pqxx errors
  // (unique_violation, ...) propagate unchanged.
  template <class F>
  auto write(F&& f, Isolation isolation = Isolation::read_committed) {
    return run<pqxx::work>(f, Mode::write, isolation);
  }

  // Runs f(pqxx::read_transaction&); re-runs it once on a fresh connection if the link broke.
  template <class F>
  auto read(F&& f) {
    return run<pqxx::read_transaction>(f, Mode::read, Isolation::read_committed);
  }

  // Runs f(pqxx::nontransaction&) for one statement in autocommit that reads, or writes
  // idempotently: one round trip instead of BEGIN, statement, COMMIT. Re-run once if the link
  // broke.
  template <class F>
  auto query(F&& f) {
    return run<pqxx::nontransaction>(f, Mode::read, Isolation::read_committed);
  }

  // Runs f(pqxx::nontransaction&) for one writing statement in autocommit (e.g. a call of a
  // function that does a whole transaction's work): one round trip. Re-run after a serialization
  // failure or deadlock (the statement did nothing); a link lost meanwhile leaves the outcome
  // unknown, so that is db::Unavailable, never a re-run.
  template <class F>
  auto execute(F&& f) {
    return run<pqxx::nontransaction>(f, Mode::single_write, Isolation::read_committed);
  }

  // True when a connection can be had and answers SELECT 1 (readiness probe). Never throws.
  bool ping() noexcept;

  std::size_t size() const { return options_.size; }
  PoolStats stats() const;

 private:
  // A connection on loan; goes back to the pool when destroyed unless discarded.
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<pqxx::connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), connection_(std::move(other.connection_)), broken_(other.broken_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    pqxx::connection& connection() { return *connection_; }
    void discard() { broken_ = true; }

   private:
    Pool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    bool broken_ = false;
  };

  enum class Mode { read, write, single_write };

  template <class Txn, class F>
  auto run(F& f, Mode mode, Isolation isolation) {
    using R = std::invoke_result_t<F&, Txn&>;
    RetryState state;
    for (;;) {
      Lease lease = acquire();
      try {
        Txn txn(lease.connection());
        if constexpr (std::is_same_v<Txn, pqxx::work>) set_isolation(txn, isolation);
        if constexpr (std::is_void_v<R>) {
          f(txn);
          txn.commit();
          return;
        } else {
          R result = f(txn);
          txn.commit();
          return result;
        }
      } catch (...) {
        handle_failure(lease, state, mode);  // rethrows unless f should run again
      }
    }
  }

  struct RetryState {
    int attempt = 1;
    bool reconnected = false;
  };

  Lease acquire();
  std::unique_ptr<pqxx::connection> connect();
  void give_back(std::unique_ptr<pqxx::connection> connection, bool broken);
  void drop_idle();
  // With the lock held: gives free slots to waiters, to open connections of their own.
  void grant_free_slots();
  static void set_isolation(pqxx::work& txn, Isolation isolation);
  // Called from a catch block: returns if f should run again (after backoff), else rethrows the
  // current exception, translated to db::Unavailable when the database is out of reach.
  void handle_failure(Lease& lease, RetryState& state, Mode mode);

  PoolOptions options_;
  OnConnect on_connect_;
  const log::Logger* logger_;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;
  std::size_t waiting_ = 0;
  // Threads waiting for a connection, first come first served. A returned connection (or a free
  // slot to open one) is handed straight to the first waiter and only that thread is woken.
  struct Waiter {
    std::condition_variable wake;
    std::unique_ptr<pqxx::connection> handed;
    bool may_open = false;
  };
  std::deque<Waiter*> waiters_;
  std::uint64_t retries_ = 0;
};

}  // namespace ticketing::db
