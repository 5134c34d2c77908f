#include "ticketing/db/pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "ticketing/db/connection_info.hpp"
#include "ticketing/db/testing/temp_database.hpp"

using ticketing::db::Isolation;
using ticketing::db::Pool;
using ticketing::db::PoolOptions;
using ticketing::db::Unavailable;
using ticketing::db::test::CapturedLog;
using ticketing::db::testing::TempDatabase;

namespace {

void admin_exec(const TempDatabase& db, const std::string& sql) {
  pqxx::connection connection(db.admin_url());
  pqxx::work txn(connection);
  txn.exec(sql);
  txn.commit();
}

int admin_int(const TempDatabase& db, const std::string& sql) {
  pqxx::connection connection(db.admin_url());
  pqxx::nontransaction txn(connection);
  return txn.exec1(sql)[0].as<int>();
}

const char* const create_counter =
    "CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counter VALUES (1, 0);";

}  // namespace

TEST_CASE("16 threads x 50 writes through a pool of 4 all land, on at most 4 connections") {
  TempDatabase db;
  admin_exec(db, create_counter);
  CapturedLog log;
  std::atomic<int> connects{0};
  // Tagged so pg_stat_activity counts the pool's backends only (not autovacuum or our monitor).
  const auto url =
      ticketing::db::with_options(db.admin_url(), {{"application_name", "pool_under_test"}});
  REQUIRE(url.ok());
  Pool pool(
      PoolOptions{url.value(), 4, std::chrono::seconds(10)},
      [&](pqxx::connection& c) {
        ++connects;
        c.prepare("bump", "UPDATE counter SET n = n + 1 WHERE id = 1");
      },
      log.logger());
  CHECK(pool.stats().open == 0);  // lazy: nothing opened before first use

  std::atomic<bool> done{false};
  std::size_t max_open = 0;
  int max_backends = 0;
  std::thread monitor([&] {
    pqxx::connection connection(db.admin_url());
    while (!done) {
      max_open = std::max(max_open, pool.stats().open);
      pqxx::nontransaction txn(connection);
      const int backends =
          txn.exec1(
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND application_name = 'pool_under_test'")[0]
              .as<int>();
      max_backends = std::max(max_backends, backends);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 16; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) pool.write([](pqxx::work& txn) { txn.exec_prepared0("bump"); });
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  monitor.join();

  CHECK(pool.read([](pqxx::read_transaction& txn) {
    return txn.exec1("SELECT n FROM counter WHERE id = 1")[0].as<int>();
  }) == 16 * 50);
  CHECK(max_open <= 4);
  CHECK(max_backends <= 4);
  CHECK(max_backends >= 1);
  CHECK(connects <= 4);
  const auto stats = pool.stats();
  CHECK(stats.open <= 4);
  CHECK(stats.idle == stats.open);
  CHECK(stats.waiting == 0);
  CHECK(pool.size() == 4);
}

TEST_CASE("write and read return what the function returns, and ping answers") {
  TempDatabase db;
  admin_exec(db, create_counter);
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 2}, {}, log.logger());
  CHECK(pool.ping());
  const int after = pool.write([](pqxx::work& txn) {
    return txn.exec1("UPDATE counter SET n = n + 5 WHERE id = 1 RETURNING n")[0].as<int>();
  });
  CHECK(after == 5);
  CHECK(pool.read([](pqxx::read_transaction& txn) {
    return txn.exec1("SELECT n FROM counter")[0].as<int>();
  }) == 5);
  // A read transaction really is read-only.
  CHECK_THROWS_AS(
      pool.read([](pqxx::read_transaction& txn) { txn.exec0("UPDATE counter SET n = 0"); }),
      pqxx::sql_error);
  // A failing write rolls back.
  CHECK_THROWS(pool.write([](pqxx::work& txn) {
    txn.exec0("UPDATE counter SET n = 100");
    throw std::runtime_error("changed my mind");
  }));
  CHECK(admin_int(db, "SELECT n FROM counter") == 5);
}

TEST_CASE("query runs one statement outside any transaction block") {
  TempDatabase db;
  admin_exec(db, create_counter);
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1}, {}, log.logger());
  CHECK(pool.query([](pqxx::nontransaction& txn) {
    return txn.exec1("SELECT n FROM counter")[0].as<int>();
  }) == 0);
  // No BEGIN was sent: the statement is not inside a transaction block.
  CHECK(pool.query([](pqxx::nontransaction& txn) {
    return txn.exec1("SELECT now() = statement_timestamp()")[0].as<bool>();
  }));
}

TEST_CASE("execute never re-runs a statement whose link broke, query re-runs once") {
  TempDatabase db;
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 2}, {}, log.logger());
  const auto kill_own_backend = [](auto& txn) {
    txn.exec("SELECT pg_terminate_backend(pg_backend_pid())");
  };
  int executed = 0;
  CHECK_THROWS_AS(pool.execute([&](pqxx::nontransaction& txn) {
    ++executed;
    kill_own_backend(txn);
  }),
                  ticketing::db::Unavailable);
  CHECK(executed == 1);
  int queried = 0;
  CHECK_THROWS_AS(pool.query([&](pqxx::nontransaction& txn) {
    ++queried;
    kill_own_backend(txn);
  }),
                  ticketing::db::Unavailable);
  CHECK(queried == 2);
  CHECK(pool.query([](pqxx::nontransaction& txn) { return txn.exec1("SELECT 1")[0].as<int>(); }) ==
        1);
}

TEST_CASE("waiting threads get connections in arrival order") {
  TempDatabase db;
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1, std::chrono::milliseconds(5000)}, {}, log.logger());
  std::mutex mutex;
  std::vector<int> served;
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  pool.read([&](pqxx::read_transaction&) {
    // While the only connection is busy, threads queue up one after another.
    for (int i = 0; i < 5; ++i) {
      threads.emplace_back([&, i] {
        ++started;
        pool.read([&](pqxx::read_transaction&) {
          std::lock_guard lock(mutex);
          served.push_back(i);
        });
      });
      while (pool.stats().waiting < static_cast<std::size_t>(i + 1)) std::this_thread::yield();
    }
  });
  for (auto& thread : threads) thread.join();
  CHECK(served == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("no connection free within acquire_timeout throws db::Unavailable") {
  TempDatabase db;
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1, std::chrono::milliseconds(150)}, {}, log.logger());
  std::promise<void> holding;
  std::promise<void> release;
  std::thread holder([&] {
    pool.read([&](pqxx::read_transaction&) {
      holding.set_value();
      release.get_future().wait();
    });
  });
  holding.get_future().wait();
  const auto started = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(pool.read([](pqxx::read_transaction&) {}), Unavailable);
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= std::chrono::milliseconds(140));
  CHECK(waited < std::chrono::seconds(2));
  CHECK_THROWS_AS(pool.write([](pqxx::work&) {}),
                  ticketing::DependencyUnavailable);  // what HTTP maps to 503
  CHECK_FALSE(pool.ping());
  release.set_value();
  holder.join();
  CHECK(pool.ping());
  CHECK(pool.stats().open == 1);
}

TEST_CASE("an unreachable database: the pool starts, ping is false, use throws db::Unavailable") {
  CapturedLog log;
  Pool pool(
      PoolOptions{"host=/tmp/pgdev/socket port=1 user=postgres dbname=postgres connect_timeout=2",
                  2},
      {}, log.logger());
  CHECK_FALSE(pool.ping());
  CHECK_THROWS_AS(pool.read([](pqxx::read_transaction&) {}), Unavailable);
  CHECK_THROWS_AS(pool.write([](pqxx::work&) {}), Unavailable);
  CHECK(pool.stats().open == 0);  // failed attempts give their slot back
}

TEST_CASE("two concurrent SERIALIZABLE read-modify-writes of one row both commit through retry") {
  TempDatabase db;
  admin_exec(db, create_counter);
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 2}, {}, log.logger());
  std::atomic<int> attempts{0};
  std::latch both_read(2);
  const auto increment = [&](pqxx::work& txn) {
    const int attempt = ++attempts;
    const int n = txn.exec1("SELECT n FROM counter WHERE id = 1")[0].as<int>();
    if (attempt <= 2)
      both_read.arrive_and_wait();  // first attempts: both have read before either writes
    txn.exec0("UPDATE counter SET n = " + txn.quote(n + 1) + " WHERE id = 1");
  };
  std::thread a([&] { pool.write(increment, Isolation::serializable); });
  std::thread b([&] { pool.write(increment, Isolation::serializable); });
  a.join();
  b.join();
  CHECK(admin_int(db, "SELECT n FROM counter") == 2);  // no lost update
  CHECK(attempts > 2);                                 // someone was made to retry
  CHECK(pool.stats().retries >= 1);
}

TEST_CASE("the isolation level asked for is the one the transaction runs at") {
  TempDatabase db;
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1}, {}, log.logger());
  const auto level = [](pqxx::work& txn) {
    return txn.exec1("SHOW transaction_isolation")[0].as<std::string>();
  };
  CHECK(pool.write(level) == "read committed");
  CHECK(pool.write(level, Isolation::repeatable_read) == "repeatable read");
  CHECK(pool.write(level, Isolation::serializable) == "serializable");
  CHECK(pool.write(level) == "read committed");  // not left behind on the connection
}

TEST_CASE("retries stop after max_write_attempts and the last failure propagates") {
  TempDatabase db;
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1}, {}, log.logger());
  int attempts = 0;
  CHECK_THROWS_AS(pool.write([&](pqxx::work&) {
    ++attempts;
    throw pqxx::deadlock_detected("simulated");
  }),
                  pqxx::deadlock_detected);
  CHECK(attempts == Pool::max_write_attempts);
}

TEST_CASE("a connection killed with pg_terminate_backend is replaced and the next call succeeds") {
  TempDatabase db;
  admin_exec(db, create_counter);
  CapturedLog log;
  std::atomic<int> connects{0};
  Pool pool(
      PoolOptions{db.admin_url(), 1},
      [&](pqxx::connection& c) {
        ++connects;
        c.prepare("get", "SELECT n FROM counter WHERE id = 1");
      },
      log.logger());
  const auto backend = [](auto& txn) {
    return txn.exec1("SELECT pg_backend_pid()")[0].template as<int>();
  };
  const auto kill = [&](int pid) {
    admin_exec(db, "SELECT pg_terminate_backend(" + std::to_string(pid) + ", 5000)");
  };

  const int first = pool.read(backend);
  kill(first);
  const int second = pool.read(backend);  // read: retried on a fresh connection
  CHECK(second != first);
  CHECK(pool.read([](pqxx::read_transaction& txn) {
    return txn.exec_prepared1("get")[0].as<int>();
  }) == 0);

  kill(second);
  const int third = pool.write(backend);  // write: the link broke before COMMIT, safe to re-run
  CHECK(third != second);
  CHECK(pool.write([](pqxx::work& txn) { return txn.exec_prepared1("get")[0].as<int>(); }) == 0);
  CHECK(connects == 3);  // on_connect ran on every replacement
  CHECK(pool.stats().open == 1);
  CHECK(log.count("db_connection_lost") == 2);
}

TEST_CASE("unique_violation propagates unchanged and is_unique_violation names the constraint") {
  TempDatabase db;
  admin_exec(db, "CREATE TABLE users (email text CONSTRAINT users_email_key UNIQUE)");
  CapturedLog log;
  Pool pool(PoolOptions{db.admin_url(), 1}, {}, log.logger());
  const auto insert = [](pqxx::work& txn) {
    txn.exec0("INSERT INTO users VALUES ('a@example.com')");
  };
  pool.write(insert);
  try {
    pool.write(insert);
    FAIL("duplicate insert succeeded");
  } catch (const pqxx::unique_violation& e) {
    CHECK(ticketing::db::is_unique_violation(e, "users_email_key"));
    CHECK(ticketing::db::is_unique_violation(e));
    CHECK_FALSE(ticketing::db::is_unique_violation(e, "users_email"));
    CHECK_FALSE(ticketing::db::is_unique_violation(e, "other_key"));
  }
  CHECK(pool.stats().retries == 0);
}
