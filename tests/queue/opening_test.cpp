// The opening (product-spec.md, "Sale day") with real queue processes: two replicas racing at the
// opening, a replica killed inside the draw, and the published order checked with Python's own
// HMAC-SHA256 (the README's recipe), independent of the service's.
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "support/child_process.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"
#include "ticketing/time.hpp"

using namespace std::chrono_literals;

namespace {

constexpr const char* kAdminKey = "test-admin-key";

std::string rfc3339_in(std::chrono::milliseconds from_now) {
  return ticketing::format_rfc3339(ticketing::Clock::now() + from_now);
}

void open_at(ticketing::http::Client& client, const std::string& opens_at) {
  auto reply = test_support::call(client, ticketing::http::Method::put, "/api/v1/admin/queue",
                                  R"({"opensAt":")" + opens_at + "\"}", {{"X-Admin-Key", kAdminKey}});
  REQUIRE(reply.status == 200);
}

rapidjson::Document opening(ticketing::http::Client& client) {
  auto reply = test_support::call(client, ticketing::http::Method::get, "/api/v1/queue/opening");
  REQUIRE(reply.status == 200);
  return test_support::parse_json(reply.body);
}

// Waits until the opening's seed is published (the draw committed); returns it.
std::string drawn_seed(ticketing::http::Client& client, std::chrono::seconds limit = 20s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    auto published = opening(client);
    if (published["seed"].IsString()) return published["seed"].GetString();
    std::this_thread::sleep_for(100ms);
  }
  FAIL("the opening was not drawn in time");
  return {};
}

struct Recomputed {
  std::string seed_sha256;
  std::vector<int> order;  // arrival numbers in place order
};

// The README's verification, run by Python's hashlib and hmac.
Recomputed recompute(const std::string& seed_hex, int early_count) {
  test_support::ChildProcess python(
      {"python3", "-c",
       "import hashlib, hmac, sys\n"
       "seed = bytes.fromhex(sys.argv[1])\n"
       "print(hashlib.sha256(seed).hexdigest())\n"
       "key = lambda a: hmac.new(seed, str(a).encode(), 'sha256').digest()\n"
       "print(*sorted(range(1, int(sys.argv[2]) + 1), key=key))\n",
       seed_hex, std::to_string(early_count)},
      {});
  REQUIRE(python.wait_or_kill(30s) == 0);
  std::istringstream out(python.output());
  Recomputed recomputed;
  out >> recomputed.seed_sha256;
  for (int arrival; out >> arrival;) recomputed.order.push_back(arrival);
  REQUIRE(recomputed.order.size() == static_cast<std::size_t>(early_count));
  return recomputed;
}

// How long until `client`'s replica shows an opening time in the token's state; `limit` when
// it never does within it.
std::chrono::milliseconds until_opening_shown(ticketing::http::Client& client,
                                              const std::string& token,
                                              std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    const auto state = test_support::parse_json(test_support::poll_token(client, token).body);
    if (state["opensAt"].IsString()) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    std::this_thread::sleep_for(10ms);
  }
  return limit;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("Two replicas at the opening: one draw, the published order is the order served",
          "[opening]") {
  test_support::QueueService first({{"QUEUE_CAPACITY", "3"}, {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  auto second = first.start_replica();
  auto a = first.process->client();
  auto b = second->client();
  open_at(a, rfc3339_in(4000ms));

  constexpr int kEarly = 12;
  std::vector<test_support::IssuedToken> early;
  for (int i = 0; i < kEarly; ++i) early.push_back(test_support::issue_token(i % 2 ? b : a));
  // Both replicas hear of the opening when it commits (their snapshots of the line refresh).
  REQUIRE(until_opening_shown(a, early[0].token, 2s) < 2s);
  REQUIRE(until_opening_shown(b, early[0].token, 2s) < 2s);
  for (int i = 0; i < kEarly; ++i) {
    const auto state = test_support::parse_json(test_support::poll_token(a, early[i].token).body);
    CHECK(state["status"].GetString() == std::string("WAITING"));
    CHECK(state["position"].IsNull());
    CHECK(state["estimatedWaitSeconds"].IsNull());
    CHECK(state["opensAt"].IsString());
    CHECK(state["arrivalNumber"].GetInt64() == i + 1);
  }
  const auto before = opening(b);
  CHECK(before["seed"].IsNull());
  CHECK(before["earlyCount"].GetInt64() == kEarly);
  const std::string published_hash = before["seedSha256"].GetString();

  const auto seed = drawn_seed(b);
  const auto expected = recompute(seed, kEarly);
  CHECK(expected.seed_sha256 == published_hash);  // the seed is the one committed to

  const auto later = test_support::issue_token(b);  // behind the early crowd
  // The line serves the drawn order: the first three ACTIVE, the others in line behind them.
  for (std::size_t rank = 0; rank < expected.order.size(); ++rank) {
    const auto& token = early[static_cast<std::size_t>(expected.order[rank] - 1)];
    const auto state = test_support::parse_json(test_support::poll_token(b, token.token).body);
    INFO("drawn rank " << rank + 1 << ", arrival number " << expected.order[rank]);
    CHECK(state["arrivalNumber"].GetInt64() == expected.order[rank]);
    if (rank < 3) {
      CHECK(state["status"].GetString() == std::string("ACTIVE"));
    } else {
      CHECK(state["position"].GetInt64() == static_cast<std::int64_t>(rank - 2));
    }
  }
  const auto later_state = test_support::parse_json(test_support::poll_token(a, later.token).body);
  CHECK(later_state["position"].GetInt64() == kEarly - 3 + 1);
  CHECK(later_state["arrivalNumber"].IsNull());
  CHECK(count_of(first.process->output() + second->output(), "\"line_opened\"") == 1);
}

TEST_CASE("An opening set on one replica shows on the other at once, not at its next pass",
          "[opening]") {
  // Admission passes (which also refresh a replica's picture of the line) 30 s apart: only the
  // announcement of the change can bring it to the other replica within the bound below.
  test_support::QueueService first({{"QUEUE_CAPACITY", "0"}, {"QUEUE_ADMIT_INTERVAL_MS", "30000"}});
  auto second = first.start_replica();
  auto a = first.process->client();
  auto b = second->client();
  const auto waiting = test_support::issue_token(b);
  REQUIRE(test_support::parse_json(test_support::poll_token(b, waiting.token).body)["opensAt"]
              .IsNull());

  open_at(a, rfc3339_in(60s));
  const auto shown_after = until_opening_shown(b, waiting.token, 2s);
  INFO("shown after " << shown_after.count() << " ms");
  CHECK(shown_after < 1s);
}

TEST_CASE("A replica killed inside the draw leaves no place given, the next one draws it all",
          "[opening]") {
  test_support::QueueService doomed({{"QUEUE_FAULT_POINT", "after_draw"},
                                     {"QUEUE_CAPACITY", "0"},
                                     {"QUEUE_ADMIT_INTERVAL_MS", "100"}});
  auto client = doomed.process->client();
  open_at(client, rfc3339_in(2000ms));
  for (int i = 0; i < 5; ++i) test_support::issue_token(client);

  const auto give_up = std::chrono::steady_clock::now() + 20s;
  while (test_support::answers_healthz(doomed.process->port()) &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE_FALSE(test_support::answers_healthz(doomed.process->port()));
  CHECK(doomed.process->output().find("fault_point_reached") != std::string::npos);

  pqxx::connection connection(doomed.database.admin_url());
  pqxx::nontransaction txn(connection);
  const auto placed_count = [&] {
    return txn.exec1("SELECT count(queue.place_in_line(t)) FROM queue.tokens t")[0].as<int>();
  };
  CHECK(placed_count() == 0);  // all or nothing: nothing
  CHECK(txn.exec1("SELECT opening_pending FROM queue.line")[0].as<bool>());

  auto survivor = doomed.start_replica({{"QUEUE_FAULT_POINT", "none"}});
  auto survivor_client = survivor->client();
  const auto seed = drawn_seed(survivor_client);
  CHECK(placed_count() == 5);  // all
  const auto expected = recompute(seed, 5);
  for (std::size_t rank = 0; rank < expected.order.size(); ++rank) {
    CHECK(txn.exec1("SELECT queue.place_in_line(t) FROM queue.tokens t WHERE arrival_number = " +
                    std::to_string(expected.order[rank]))[0]
              .as<std::size_t>() == rank + 1);
  }
}
