// Concurrency claims of the queue, raced for real: many clients, two service processes, one
// database.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <vector>

#include "support/queue_api.hpp"
#include "support/race.hpp"
#include "support/service_on_database.hpp"

using test_support::QueueService;

using test_support::race;

namespace {

pqxx::row query1(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::read_transaction txn(connection);
  return txn.exec1(sql);
}

}  // namespace

TEST_CASE("500 concurrent issues get 500 distinct places without gaps", "[race]") {
  QueueService service({{"QUEUE_CAPACITY", "10"}});
  std::mutex mutex;
  std::vector<std::int64_t> positions;
  std::atomic<int> created{0};
  race(50, [&](int) {
    auto client = service.process->client();
    for (int i = 0; i < 10; ++i) {
      auto issued = test_support::issue_token(client);
      if (issued.status == 201) ++created;
      std::lock_guard lock(mutex);
      if (issued.state == "WAITING") positions.push_back(issued.position.value());
    }
  });
  CHECK(created == 500);

  auto places = query1(service.database.admin_url(),
                       "SELECT count(*), count(DISTINCT place), min(place), max(place), "
                       "count(*) FILTER (WHERE status = 'ACTIVE') FROM queue.tokens");
  CHECK(places[0].as<int>() == 500);
  CHECK(places[1].as<int>() == 500);
  CHECK(places[2].as<int>() == 1);
  CHECK(places[3].as<int>() == 500);
  CHECK(places[4].as<int>() == 10);

  // Everyone told they wait was given a distinct position, 1..490.
  std::sort(positions.begin(), positions.end());
  REQUIRE(positions.size() == 490);
  for (std::size_t i = 0; i < positions.size(); ++i)
    CHECK(positions[i] == static_cast<std::int64_t>(i) + 1);
}

TEST_CASE("Two service processes on one database never admit more than the capacity", "[race]") {
  const test_support::Environment fast{
      {"QUEUE_CAPACITY", "5"}, {"QUEUE_ADMIT_INTERVAL_MS", "20"}, {"QUEUE_TOKEN_TTL_SECONDS", "1"}};
  QueueService service(fast);
  auto replica = service.start_replica();
  std::atomic<bool> done{false};
  std::atomic<long> most_active{0};

  std::thread monitor([&] {
    pqxx::connection connection(service.database.admin_url());
    while (!done) {
      pqxx::read_transaction txn(connection);
      const auto active =
          txn.exec1("SELECT count(*) FROM queue.tokens WHERE status = 'ACTIVE'")[0].as<long>();
      txn.commit();
      long seen = most_active.load();
      while (active > seen && !most_active.compare_exchange_weak(seen, active)) {
      }
    }
  });
  // Half the visitors arrive through each replica; the paid ones leave early, the rest time out.
  race(16, [&](int t) {
    auto client = (t % 2 == 0 ? *service.process : *replica).client();
    for (int i = 0; i < 15; ++i) {
      auto issued = test_support::issue_token(client);
      if (issued.state == "ACTIVE" && i % 3 == 0) test_support::expire_token(client, issued.token);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // let passes of both replicas run
  done = true;
  monitor.join();

  const auto totals =
      query1(service.database.admin_url(), "SELECT admitted_total, active FROM queue.line");
  CHECK(most_active.load() <= 5);
  CHECK(most_active.load() >= 1);
  CHECK(totals[0].as<long>() > 5);  // the line really turned over while being watched
  CHECK(totals[1].as<long>() <= 5);
}

TEST_CASE("Admission follows the order of issue under concurrent issue", "[race]") {
  const test_support::Environment fast{{"QUEUE_CAPACITY", "4"}, {"QUEUE_ADMIT_INTERVAL_MS", "20"}};
  QueueService service(fast);
  auto replica = service.start_replica();
  std::atomic<bool> issuing{true};
  std::atomic<int> order_violations{0};
  std::atomic<int> samples{0};

  // Watches that nobody is ever admitted while an earlier place still waits.
  std::thread monitor([&] {
    pqxx::connection connection(service.database.admin_url());
    while (issuing || samples < 50) {
      pqxx::read_transaction txn(connection);
      const auto row = txn.exec1(
          "SELECT coalesce(max(place) FILTER (WHERE admitted_at IS NOT NULL), 0), "
          "coalesce(min(place) FILTER (WHERE status = 'WAITING'), 9223372036854775807) "
          "FROM queue.tokens");
      txn.commit();
      if (row[0].as<long>() > row[1].as<long>()) ++order_violations;
      ++samples;
    }
  });
  // Visitors arrive concurrently on both replicas; admitted ones pay at once and leave.
  race(12, [&](int t) {
    auto client = (t % 2 == 0 ? *service.process : *replica).client();
    std::vector<std::string> waiting;
    for (int i = 0; i < 10; ++i) {
      auto issued = test_support::issue_token(client);
      if (issued.state == "ACTIVE") {
        test_support::expire_token(client, issued.token);
      } else {
        waiting.push_back(issued.token);
      }
    }
    // Poll own waiting tokens until admitted, then leave.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
      for (auto it = waiting.begin(); it != waiting.end();) {
        auto polled = test_support::poll_token(client, *it);
        if (polled.body.find("\"ACTIVE\"") != std::string::npos) {
          test_support::expire_token(client, *it);
          it = waiting.erase(it);
        } else {
          ++it;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!waiting.empty()) throw std::runtime_error("a waiting visitor was never admitted");
  });
  issuing = false;
  monitor.join();

  CHECK(order_violations == 0);
  // Admission times never go backwards along the line.
  const auto inversions =
      query1(service.database.admin_url(),
             "SELECT count(*) FROM queue.tokens a JOIN queue.tokens b ON a.place < b.place "
             "WHERE a.admitted_at > b.admitted_at");
  CHECK(inversions[0].as<long>() == 0);
  const auto admitted = query1(service.database.admin_url(),
                               "SELECT count(*) FROM queue.tokens WHERE admitted_at IS NOT NULL");
  CHECK(admitted[0].as<long>() == 120);
}
