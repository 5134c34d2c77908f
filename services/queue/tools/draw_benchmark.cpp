// Times the opening's draw (migration 006, draw_if_due) of N early tokens, default 1,000,000,
// on a throwaway database of the cluster named by TICKETING_TEST_PG. Not a test: it prints
//   early_tokens=N draw_seconds=S commit_seconds=C
// Usage: TICKETING_TEST_PG=postgresql://... queue_draw_benchmark [N]
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <string>

#include "queue_migrations.hpp"
#include "ticketing/db/migrations.hpp"
#include "ticketing/db/testing/temp_database.hpp"
#include "ticketing/log/logger.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long long count = argc > 1 ? std::stoll(argv[1]) : 1'000'000;
  ticketing::db::testing::TempDatabase database;
  const auto role = database.unique_role("queue");
  const ticketing::log::Logger logger("draw-benchmark", ticketing::log::Level::warn);
  ticketing::db::migrate(database.admin_url(), {"queue", role, "pw"}, queue::migrations(), logger);

  pqxx::connection connection(database.url_for(role, "pw"));
  {
    // N early visitors, as token issue leaves them: WAITING, no place, arrival numbers 1..N.
    pqxx::work txn(connection);
    txn.exec("SET search_path = queue");
    txn.exec("INSERT INTO line (id, capacity) VALUES (1, 100)");
    txn.exec("INSERT INTO users (id, created_at) SELECT gen_random_uuid(), now() "
             "FROM generate_series(1, " + std::to_string(count) + ")");
    txn.exec("INSERT INTO tokens (token, user_id, status, issued_at, last_polled_at, "
             "arrival_number) SELECT md5(u.id::text), u.id, 'WAITING', now(), now(), "
             "row_number() OVER () FROM users u");
    txn.exec("UPDATE line SET opens_at = now(), opening_seed = sha256('benchmark'), "
             "opening_pending = true, early_count = " + std::to_string(count) +
             ", waiting = " + std::to_string(count) + " WHERE id = 1");
    txn.commit();
    pqxx::nontransaction analyse(connection);
    analyse.exec("ANALYZE queue.tokens");
  }
  pqxx::work txn(connection);
  txn.exec("SET search_path = queue");
  const auto start = std::chrono::steady_clock::now();
  const auto drawn = txn.exec1("SELECT draw_if_due(now())")[0].as<long long>();
  const double draw_seconds = seconds_since(start);
  const auto commit_start = std::chrono::steady_clock::now();
  txn.commit();
  std::printf("early_tokens=%lld draw_seconds=%.2f commit_seconds=%.2f\n", drawn, draw_seconds,
              seconds_since(commit_start));
  return drawn == count ? 0 : 1;
}
