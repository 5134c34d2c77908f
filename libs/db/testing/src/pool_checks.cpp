#include "ticketing/db/testing/pool_checks.hpp"

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ticketing::db::testing {

void open_every_connection(Pool& pool) {
  std::mutex mutex;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    threads.emplace_back([&] {
      try {
        // Each thread keeps its connection long enough for the others to need their own.
        pool.query([](pqxx::nontransaction& txn) { txn.exec("SELECT pg_sleep(0.05)"); });
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

std::int64_t count_of(Pool& pool, const std::string& query) {
  return pool.query(
      [&](pqxx::nontransaction& txn) { return txn.exec1(query)[0].as<std::int64_t>(); });
}

void execute(Pool& pool, const std::string& statement) {
  pool.query([&](pqxx::nontransaction& txn) { txn.exec(statement); });
}

}  // namespace ticketing::db::testing
