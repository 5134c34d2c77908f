#include <catch2/catch.hpp>

#include "adapters/memory/in_memory_queue_store.hpp"
#include "application/expire_token.hpp"
#include "application/issue_token.hpp"
#include "application/lookup_user.hpp"
#include "application/manage_line.hpp"
#include "application/poll_token.hpp"
#include "application/run_admission.hpp"
#include "application/verify_token.hpp"

using namespace queue;
using namespace std::chrono_literals;

namespace {

// The whole queue core wired to the in-memory store, with a clock the test moves.
struct QueueCore {
  explicit QueueCore(std::int64_t capacity, std::chrono::seconds ttl = 600s,
                     std::chrono::seconds abandon = 60s)
      : store(clock()),
        view(ttl),
        issue(store, view, ttl, clock()),
        poll(store, view, heartbeats, clock()),
        verify(store, clock()),
        expire(store),
        lookup(store),
        manage(store, [] { return Seed{}; }),
        admission(store, heartbeats, view, {ttl, abandon}, clock()) {
    store.initialise(capacity);
    view.refresh(store, now);
  }

  ClockFn clock() {
    return [this] { return now; };
  }

  // The in-memory store answers at once, so the callback has run when Execute returns.
  IssueToken::Result issue_now(const IssueTokenCommand& command) {
    std::optional<IssueToken::Result> result;
    issue.Execute(command, [&](ticketing::Completed<IssueToken::Result> done) {
      result.emplace(std::move(done).get());
    });
    REQUIRE(result);
    return std::move(*result);
  }

  PollToken::Result poll_now(const std::string& token) {
    std::optional<PollToken::Result> result;
    poll.Execute(token, [&](auto done) { result.emplace(std::move(done).get()); });
    REQUIRE(result);
    return std::move(*result);
  }

  VerifyToken::Result verify_now(const std::string& token, bool accept_ended = false) {
    std::optional<VerifyToken::Result> result;
    verify.Execute(token, accept_ended, [&](auto done) { result.emplace(std::move(done).get()); });
    REQUIRE(result);
    return std::move(*result);
  }

  TokenState issue_new() {
    auto issued = issue_now({});
    REQUIRE(issued.ok());
    REQUIRE(issued->created);
    return issued->state;
  }

  ticketing::TimePoint now = ticketing::Clock::now();
  InMemoryQueueStore store;
  LineView view;
  Heartbeats heartbeats;
  IssueToken issue;
  PollToken poll;
  VerifyToken verify;
  ExpireToken expire;
  LookupUser lookup;
  ManageLine manage;
  RunAdmission admission;
};

}  // namespace

TEST_CASE("A first visitor is minted a user and admitted at once when there is room") {
  QueueCore core(2);
  auto state = core.issue_new();
  CHECK(state.token.status == TokenStatus::active);
  CHECK(state.position == 0);
  CHECK(state.token.expires_at == core.now + 600s);
  CHECK(core.lookup.Execute(state.token.user_id).ok());
}

TEST_CASE("Asking again returns the user's live token") {
  QueueCore core(2);
  auto first = core.issue_new();
  auto again = core.issue_now({first.token.user_id});
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK(again->state.token.value == first.token.value);
}

TEST_CASE("Unknown and malformed user ids are refused") {
  QueueCore core(2);
  CHECK(core.issue_now({"123e4567-e89b-42d3-a456-426614174000"}).error() ==
        QueueError::user_not_found);
  CHECK(core.issue_now({"not-a-uuid"}).error() == QueueError::invalid_user_id);
  CHECK(core.lookup.Execute("123e4567-e89b-42d3-a456-426614174000").error() ==
        QueueError::user_not_found);
}

TEST_CASE("Beyond capacity visitors wait in order of issue with honest positions") {
  QueueCore core(2);
  core.issue_new();
  core.issue_new();
  auto third = core.issue_new();
  auto fourth = core.issue_new();
  CHECK(third.token.status == TokenStatus::waiting);
  CHECK(third.position == 1);
  CHECK(fourth.position == 2);
  CHECK(fourth.token.expires_at == std::nullopt);

  auto polled = core.poll_now(fourth.token.value);
  REQUIRE(polled.ok());
  CHECK(polled->position == 2);
  CHECK(core.verify_now(fourth.token.value).error() == QueueError::token_not_active);
}

TEST_CASE("Expiry of an active token admits the next waiting one, first in first out") {
  QueueCore core(1, 10s);
  auto first = core.issue_new();
  auto second = core.issue_new();
  auto third = core.issue_new();

  core.now += 5s;
  core.admission.Execute();
  CHECK(core.poll_now(second.token.value)->token.status == TokenStatus::waiting);

  core.now += 5s;  // the first token's TTL is up
  auto report = core.admission.Execute();
  CHECK(report.expired == 1);
  CHECK(report.admitted == 1);
  CHECK(core.verify_now(first.token.value).error() == QueueError::token_expired);
  CHECK(core.verify_now(second.token.value).ok());
  CHECK(core.poll_now(third.token.value)->position == 1);
}

TEST_CASE("Abandoned waiting tokens are dropped and do not hold up those behind") {
  QueueCore core(1, 600s, 60s);
  core.issue_new();
  auto abandoned = core.issue_new();
  auto faithful = core.issue_new();
  CHECK(faithful.position == 2);

  core.now += 40s;
  REQUIRE(core.poll_now(faithful.token.value).ok());
  core.admission.Execute();
  core.now += 30s;  // abandoned last seen 70 s ago, faithful 30 s ago
  auto report = core.admission.Execute();
  CHECK(report.dropped == 1);
  CHECK(core.poll_now(abandoned.token.value).error() == QueueError::token_expired);
  CHECK(core.poll_now(faithful.token.value)->position == 1);
}

TEST_CASE("An expired token frees its place and can be expired again without error") {
  QueueCore core(1);
  auto first = core.issue_new();
  auto second = core.issue_new();
  REQUIRE(core.expire.Execute(first.token.value).ok());
  REQUIRE(core.expire.Execute(first.token.value).ok());
  CHECK(core.expire.Execute("ffffffffffffffffffffffffffffffff").error() ==
        QueueError::token_invalid);
  core.admission.Execute();
  CHECK(core.verify_now(second.token.value).ok());
  CHECK(core.manage.Get().active == 1);
}

TEST_CASE("Only a check that accepts ended tokens gets an admitted, ended token back, marked") {
  QueueCore core(1, 10s, 60s);
  auto paid = core.issue_new();
  auto lapsed_waiting = core.issue_new();
  core.manage.Update({std::nullopt, true, {}});  // paused: the waiting one is never admitted
  REQUIRE(core.expire.Execute(paid.token.value).ok());  // used up by its payment
  core.now += 70s;  // never polled: dropped
  core.admission.Execute();

  CHECK(core.verify_now(paid.token.value).error() == QueueError::token_expired);
  auto ended = core.verify_now(paid.token.value, true);
  REQUIRE(ended.ok());
  CHECK(ended->ended);
  CHECK(ended->token.user_id == paid.token.user_id);
  CHECK(core.verify_now(lapsed_waiting.token.value, true).error() == QueueError::token_expired);
  CHECK(core.verify_now("0123456789abcdef0123456789abcdef", true).error() ==
        QueueError::token_invalid);
}

TEST_CASE("An ACTIVE token is not marked ended, whether ended tokens are accepted or not") {
  QueueCore core(1);
  auto active = core.issue_new();
  auto waiting = core.issue_new();
  CHECK_FALSE(core.verify_now(active.token.value, true)->ended);
  CHECK_FALSE(core.verify_now(active.token.value)->ended);
  CHECK(core.verify_now(waiting.token.value, true).error() == QueueError::token_not_active);
}

TEST_CASE("A waiting token that is expired moves those behind it up") {
  QueueCore core(1);
  core.issue_new();
  auto leaving = core.issue_new();
  auto behind = core.issue_new();
  REQUIRE(core.expire.Execute(leaving.token.value).ok());
  core.admission.Execute();
  CHECK(core.poll_now(behind.token.value)->position == 1);
}

TEST_CASE("A user whose token expired is given a new one") {
  QueueCore core(5, 10s);
  auto first = core.issue_new();
  core.now += 11s;
  auto again = core.issue_now({first.token.user_id});
  REQUIRE(again.ok());
  CHECK(again->created);
  CHECK(again->state.token.value != first.token.value);
  CHECK(again->state.token.place == first.token.place + 1);
}

TEST_CASE("A paused line admits nobody, raising capacity admits more") {
  QueueCore core(1);
  core.issue_new();
  auto waiting = core.issue_new();
  core.manage.Update({std::nullopt, true, {}});
  core.manage.Update({5, std::nullopt, {}});
  core.admission.Execute();
  CHECK(core.poll_now(waiting.token.value)->token.status == TokenStatus::waiting);

  auto control = core.manage.Update({std::nullopt, false, {}});
  CHECK(control.settings.capacity == 5);
  CHECK_FALSE(control.settings.paused);
  core.admission.Execute();
  CHECK(core.poll_now(waiting.token.value)->token.status == TokenStatus::active);
  CHECK(core.manage.Get().active == 2);
  CHECK(core.manage.Get().waiting == 0);
}

TEST_CASE("Malformed and unknown tokens are invalid") {
  QueueCore core(1);
  CHECK(core.poll_now("nope").error() == QueueError::token_invalid);
  CHECK(core.poll_now("0123456789abcdef0123456789abcdef").error() == QueueError::token_invalid);
  CHECK(core.verify_now("").error() == QueueError::token_invalid);
}

TEST_CASE("The wait estimate follows admissions seen by the passes") {
  QueueCore core(2, 10s);
  std::vector<TokenState> issued;
  for (int i = 0; i < 12; ++i) issued.push_back(core.issue_new());  // 2 active, 10 waiting
  for (int pass = 0; pass < 3; ++pass) {
    core.now += 10s;  // every 10 s two tokens expire and two are admitted
    core.admission.Execute();
  }
  CHECK(core.store.status(0).counters.admitted_total == 8);
  // 8 admitted (2 at issue, then 2 every 10 s) in the 30 s observed since the line was first
  // read; the last waiting token is 4th in line, so ceil(4 / (8/30)) = 15 s.
  CHECK(core.view.snapshot()->admissions_per_second == Approx(8.0 / 30));
  auto last = core.poll_now(issued.back().token.value);
  REQUIRE(last.ok());
  CHECK(last->position == 4);
  CHECK(last->estimated_wait_seconds == 15);
}
