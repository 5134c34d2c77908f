#include "ticketing/db/pool.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <thread>

namespace ticketing::db {

namespace {

// Exponential backoff with full jitter so that two colliding transactions do not collide again.
void backoff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const int ceiling_ms = std::min(2 << std::min(attempt, 5), 50);  // 4, 8, 16, 32, 50 ms
  std::uniform_int_distribution<int> pick(1, ceiling_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

}  // namespace

Pool::Pool(PoolOptions options, OnConnect on_connect, const log::Logger& logger)
    : options_(std::move(options)), on_connect_(std::move(on_connect)), logger_(&logger) {
  if (options_.size == 0) options_.size = 1;
  idle_.reserve(options_.size);
}

Pool::~Pool() = default;

Pool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_), broken_);
}

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_, idle_.size(), waiting_, retries_};
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  // Newcomers queue behind waiting threads: taking a connection from under a thread that has
  // been waiting showed as second-long tail latencies under load.
  if (waiters_.empty() && !idle_.empty()) {
    auto connection = std::move(idle_.back());  // most recently used: likeliest to be warm
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  if (waiters_.empty() && open_ < options_.size) {
    ++open_;
  } else {
    Waiter waiter;
    waiters_.push_back(&waiter);
    ++waiting_;
    const bool served = waiter.wake.wait_for(lock, options_.acquire_timeout,
                                             [&] { return waiter.handed || waiter.may_open; });
    --waiting_;
    if (!served) {
      waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &waiter));
      throw Unavailable("database: no connection free within " +
                        std::to_string(options_.acquire_timeout.count()) + " ms");
    }
    if (waiter.handed) return Lease(*this, std::move(waiter.handed));
    // may_open: the slot was reserved for us by whoever freed it.
  }
  lock.unlock();
  try {
    return Lease(*this, connect());
  } catch (...) {
    lock.lock();
    --open_;
    grant_free_slots();
    throw;
  }
}

void Pool::grant_free_slots() {
  while (!waiters_.empty() && open_ < options_.size) {
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    ++open_;
    next->may_open = true;
    next->wake.notify_one();
  }
}

std::unique_ptr<pqxx::connection> Pool::connect() {
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(options_.url);
  } catch (const pqxx::broken_connection& e) {
    logger_->warn("db_connect_failed", [&](json::Writer& w) { w.field("error", e.what()); });
    throw Unavailable(std::string("database unreachable: ") + e.what());
  }
  // A lost connection must fail loudly so the pool replaces it (and re-runs on_connect), rather
  // than libpqxx silently reconnecting without the session state on_connect set up.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
  try {
    if (on_connect_) on_connect_(*connection);
  } catch (const pqxx::broken_connection& e) {
    throw Unavailable(std::string("database connection lost while preparing it: ") + e.what());
  }
  logger_->debug("db_connected",
                 [&](json::Writer& w) { w.field("backend_pid", connection->backendpid()); });
  return connection;
}

void Pool::give_back(std::unique_ptr<pqxx::connection> connection, bool broken) {
  if (broken || !connection->is_open()) {
    connection.reset();  // close outside the lock
    std::lock_guard lock(mutex_);
    --open_;
    grant_free_slots();
    return;
  }
  std::lock_guard lock(mutex_);
  if (waiters_.empty()) {
    idle_.push_back(std::move(connection));
    return;
  }
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->handed = std::move(connection);
  next->wake.notify_one();
}

void Pool::drop_idle() {
  std::vector<std::unique_ptr<pqxx::connection>> stale;
  {
    std::lock_guard lock(mutex_);
    stale.swap(idle_);
    open_ -= stale.size();
    grant_free_slots();
  }
  stale.clear();
}

void Pool::set_isolation(pqxx::work& txn, Isolation isolation) {
  switch (isolation) {
    case Isolation::read_committed:
      return;
    case Isolation::repeatable_read:
      txn.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      return;
    case Isolation::serializable:
      txn.exec0("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
      return;
  }
}

void Pool::handle_failure(Lease& lease, RetryState& state, Mode mode) {
  const bool writing = mode != Mode::read;
  const auto lost = [&](const std::exception& e) {
    lease.discard();
    // One backend gone usually means all of them (server restart): do not hand out the others.
    drop_idle();
    if (mode == Mode::single_write) {
      // An autocommit write may have happened before the link broke: never re-run it.
      logger_->error("db_statement_in_doubt", [&](json::Writer& w) { w.field("error", e.what()); });
      throw Unavailable(std::string("database statement outcome unknown: ") + e.what());
    }
    logger_->warn("db_connection_lost", [&](json::Writer& w) { w.field("error", e.what()); });
    if (state.reconnected) throw Unavailable(std::string("database connection lost: ") + e.what());
    state.reconnected = true;
    std::lock_guard lock(mutex_);
    ++retries_;
  };
  const auto conflict = [&](const std::exception& e, const char* kind) {
    if (state.attempt >= max_write_attempts) {
      logger_->warn("db_retries_exhausted", [&](json::Writer& w) {
        w.field("kind", kind).field("attempts", state.attempt).field("error", e.what());
      });
      throw;
    }
    {
      std::lock_guard lock(mutex_);
      ++retries_;
    }
    logger_->debug("db_retry",
                   [&](json::Writer& w) { w.field("kind", kind).field("attempt", state.attempt); });
    backoff(state.attempt);
    ++state.attempt;
  };
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    // COMMIT was sent and the link broke: it may or may not have happened, never re-run.
    lease.discard();
    drop_idle();
    logger_->error("db_commit_in_doubt", [&](json::Writer& w) { w.field("error", e.what()); });
    throw Unavailable(std::string("database commit outcome unknown: ") + e.what());
  } catch (const pqxx::broken_connection& e) {
    lost(e);
  } catch (const pqxx::serialization_failure& e) {
    if (!writing) throw;
    conflict(e, "serialization_failure");
  } catch (const pqxx::deadlock_detected& e) {
    if (!writing) throw;
    conflict(e, "deadlock_detected");
  } catch (const pqxx::failure& e) {
    // A server-side error that closed the session (e.g. pg_terminate_backend: 57P01).
    if (lease.connection().is_open()) throw;
    lost(e);
  }
}

bool Pool::ping() noexcept {
  try {
    return read(
        [](pqxx::read_transaction& txn) { return txn.exec1("SELECT 1")[0].as<int>() == 1; });
  } catch (const std::exception& e) {
    logger_->debug("db_ping_failed", [&](json::Writer& w) { w.field("error", e.what()); });
    return false;
  }
}

}  // namespace ticketing::db
