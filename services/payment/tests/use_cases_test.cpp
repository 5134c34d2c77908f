#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "adapters/memory/in_memory_payment_store.hpp"
#include "application/charge_points.hpp"
#include "application/get_balance.hpp"
#include "application/get_history.hpp"
#include "application/get_payment.hpp"
#include "application/list_payments.hpp"
#include "application/pay_for_reservation.hpp"
#include "application/recall_keyed_outcome.hpp"
#include "application/recovery.hpp"
#include "ticketing/errors.hpp"

using namespace payment;
using namespace std::chrono_literals;

namespace {

constexpr const char* kAlice = "11111111-1111-4111-8111-111111111111";
constexpr const char* kBob = "22222222-2222-4222-8222-222222222222";

// The concert service as the saga sees it: holds that can lapse, confirmation by payment id.
struct FakeConcert : ReservationService {
  struct Hold {
    ReservationView view;
    bool lapsed = false;
  };
  std::map<std::int64_t, Hold> holds;
  bool down = false;
  int confirms = 0;

  std::optional<ReservationView> read(std::int64_t id) override {
    if (down) throw ticketing::DependencyUnavailable("concert down");
    auto it = holds.find(id);
    if (it == holds.end()) return std::nullopt;
    auto view = it->second.view;
    if (view.state == HoldState::held && it->second.lapsed) view.state = HoldState::expired;
    return view;
  }
  ConfirmAnswer confirm(std::int64_t id, std::string_view payment_id) override {
    ++confirms;
    if (down) return ConfirmAnswer::unreachable;
    auto& hold = holds.at(id);
    if (hold.view.state == HoldState::confirmed) {
      return hold.view.payment_id == payment_id ? ConfirmAnswer::confirmed : ConfirmAnswer::refused;
    }
    if (hold.lapsed || hold.view.state != HoldState::held) return ConfirmAnswer::refused;
    hold.view.state = HoldState::confirmed;
    hold.view.payment_id = std::string(payment_id);
    return ConfirmAnswer::confirmed;
  }
};

struct FakeQueue : UserDirectory, QueueTokens {
  std::set<std::string, std::less<>> users{kAlice, kBob};
  std::set<std::string, std::less<>> expired;
  bool down = false;
  bool exists(std::string_view user_id) override {
    if (down) throw ticketing::DependencyUnavailable("queue down");
    return users.contains(user_id);
  }
  bool expire(std::string_view token) override {
    if (down) return false;
    expired.insert(std::string(token));
    return true;
  }
};

// A crash at a named point of the saga, as a process death would leave it.
struct Crash : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PaymentCore {
  PaymentCore()
      : users(queue),
        balance(users, store),
        charge(users, store, {1'000'000, 100'000'000}, clock()),
        history(users, store),
        list(users, store),
        get(store),
        pay(concert, store, queue, clock(), fault()),
        recover(concert, store, queue, clock(), 10s) {
    concert.holds[1] = {{1, kAlice, 150000, HoldState::held, std::nullopt}};
    concert.holds[2] = {{2, kAlice, 90000, HoldState::held, std::nullopt}};
    concert.holds[3] = {{3, kBob, 50000, HoldState::held, std::nullopt}};
  }

  ClockFn clock() {
    return [this] { return now; };
  }
  FaultPoint fault() {
    return [this](std::string_view point) {
      if (point == crash_at) throw Crash(std::string(point));
      if (at_point) at_point(point);
    };
  }
  std::int64_t sum_of_ledger(const char* user) {
    std::int64_t sum = 0;
    for (const auto& e : store.history(user, 100)) {
      sum += e.type == EntryType::payment ? -e.amount : e.amount;
    }
    return sum;
  }

  ticketing::TimePoint now = ticketing::Clock::now();
  std::string crash_at;
  std::function<void(std::string_view)> at_point;  // something happening meanwhile
  InMemoryPaymentStore store;
  FakeConcert concert;
  FakeQueue queue;
  KnownUsers users;
  GetBalance balance;
  ChargePoints charge;
  GetHistory history;
  ListPayments list;
  GetPayment get;
  PayForReservation pay;
  RecoverPayments recover;
};

}  // namespace

TEST_CASE("Charging adds to the balance and to the history, newest first") {
  PaymentCore core;
  CHECK(core.charge.Execute(kAlice, 100000).value() == 100000);
  CHECK(core.charge.Execute(kAlice, 50000).value() == 150000);
  CHECK(core.balance.Execute(kAlice).value() == 150000);
  auto entries = core.history.Execute(kAlice, 20).value();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].amount == 50000);
  CHECK(entries[0].balance_after == 150000);
  CHECK(entries[1].type == EntryType::charge);
  CHECK(core.history.Execute(kAlice, 1)->size() == 1);
}

TEST_CASE("Charges are checked: amount, balance limit, user") {
  PaymentCore core;
  CHECK(core.charge.Execute(kAlice, 0).error() == PaymentError::invalid_amount);
  CHECK(core.charge.Execute(kAlice, 1'000'001).error() == PaymentError::invalid_amount);
  for (int i = 0; i < 100; ++i) REQUIRE(core.charge.Execute(kAlice, 1'000'000).ok());
  CHECK(core.charge.Execute(kAlice, 1).error() == PaymentError::balance_limit_exceeded);
  CHECK(core.balance.Execute(kAlice).value() == 100'000'000);
  CHECK(core.charge.Execute("33333333-3333-4333-8333-333333333333", 5).error() ==
        PaymentError::user_not_found);
  CHECK(core.balance.Execute("not-a-uuid").error() == PaymentError::invalid_user_id);
}

TEST_CASE("A payment debits, confirms the seat, completes and expires the token") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  auto paid = core.pay.Execute({kAlice, 1, "tok-1", std::nullopt});
  REQUIRE(paid.ok());
  CHECK(paid->status == PaymentStatus::completed);
  CHECK(paid->amount == 150000);
  CHECK(core.balance.Execute(kAlice).value() == 50000);
  CHECK(core.concert.holds[1].view.state == HoldState::confirmed);
  CHECK(core.queue.expired.contains("tok-1"));
  CHECK(core.store.due_token_expiries(core.now + 1h, 10).empty());  // nothing left to retry
  CHECK(core.list.Execute(kAlice)->size() == 1);
  CHECK(core.get.Execute(kAlice, paid->id)->status == PaymentStatus::completed);
  CHECK(core.get.Execute(kBob, paid->id).error() == PaymentError::payment_not_found);
  CHECK(core.pay.Execute({kAlice, 1, "tok-1", std::nullopt}).error() == PaymentError::already_paid);
}

TEST_CASE("Insufficient balance changes nothing") {
  PaymentCore core;
  core.charge.Execute(kAlice, 1000);
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, std::nullopt}).error() ==
        PaymentError::insufficient_balance);
  CHECK(core.balance.Execute(kAlice).value() == 1000);
  CHECK(core.concert.confirms == 0);
  CHECK(core.history.Execute(kAlice, 20)->size() == 1);
}

TEST_CASE("A lapsed hold is 410 and nothing is charged") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.concert.holds[1].lapsed = true;
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, std::nullopt}).error() ==
        PaymentError::reservation_expired);
  CHECK(core.balance.Execute(kAlice).value() == 200000);
}

TEST_CASE("A hold that lapses between the read and the confirmation is refunded") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  // The hold lapses after it was read, while the debit is done.
  core.at_point = [&](std::string_view point) {
    if (point == "after_debit") core.concert.holds[1].lapsed = true;
  };
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, std::nullopt}).error() ==
        PaymentError::reservation_expired);
  CHECK(core.balance.Execute(kAlice).value() == 200000);
  auto entries = core.history.Execute(kAlice, 20).value();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].type == EntryType::refund);
  CHECK(core.sum_of_ledger(kAlice) == 200000);
}

TEST_CASE("Another user's or an unknown reservation is not found") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  CHECK(core.pay.Execute({kAlice, 3, std::nullopt, std::nullopt}).error() ==
        PaymentError::reservation_not_found);
  CHECK(core.pay.Execute({kAlice, 99, std::nullopt, std::nullopt}).error() ==
        PaymentError::reservation_not_found);
}

TEST_CASE("An unreachable concert service leaves the payment pending, recovery completes it") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.at_point = [&](std::string_view point) {
    if (point == "after_debit") core.concert.down = true;
  };
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, "tok", std::nullopt}),
                  ticketing::DependencyUnavailable);
  CHECK(core.balance.Execute(kAlice).value() == 50000);
  CHECK(core.list.Execute(kAlice)->empty());

  core.concert.down = false;
  CHECK(core.recover.Execute().completed == 0);  // too young: its request may still be running
  core.now += 11s;
  auto report = core.recover.Execute();
  CHECK(report.completed == 1);
  CHECK(core.list.Execute(kAlice)->size() == 1);
  CHECK(core.queue.expired.contains("tok"));
  CHECK(core.sum_of_ledger(kAlice) == 50000);
}

TEST_CASE("A crash after the debit: recovery refunds when the hold lapsed meanwhile") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.crash_at = "after_debit";
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, std::nullopt, std::nullopt}), Crash);
  core.concert.holds[1].lapsed = true;
  core.now += 11s;
  CHECK(core.recover.Execute().refunded == 1);
  CHECK(core.balance.Execute(kAlice).value() == 200000);
  CHECK(core.sum_of_ledger(kAlice) == 200000);
}

TEST_CASE("A crash after the confirmation: recovery completes, never charges twice") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.crash_at = "after_confirm";
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, "tok", std::nullopt}), Crash);
  CHECK(core.concert.holds[1].view.state == HoldState::confirmed);
  core.crash_at = "";
  core.now += 11s;
  CHECK(core.recover.Execute().completed == 1);
  CHECK(core.recover.Execute().completed == 0);
  CHECK(core.balance.Execute(kAlice).value() == 50000);
  CHECK(core.queue.expired.contains("tok"));
}

TEST_CASE("A retry with the first request's key resumes its pending payment, charging once") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.crash_at = "after_debit";
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, std::nullopt, "key-1"}), Crash);
  core.crash_at = "";
  // Another request, with another key or none, is refused while the first one's payment lives.
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, "key-2"}).error() == PaymentError::already_paid);
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, std::nullopt}).error() ==
        PaymentError::already_paid);
  auto retried = core.pay.Execute({kAlice, 1, std::nullopt, "key-1"});
  REQUIRE(retried.ok());
  CHECK(retried->status == PaymentStatus::completed);
  CHECK(core.balance.Execute(kAlice).value() == 50000);
  CHECK(core.history.Execute(kAlice, 20)->size() == 2);
}

TEST_CASE("A retry with the first request's key gets its settled payment, not ALREADY_PAID") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  auto first = core.pay.Execute({kAlice, 1, "tok", "key-1"});
  REQUIRE(first.ok());
  auto again = core.pay.Execute({kAlice, 1, "tok", "key-1"});  // the seat reads paid by now
  REQUIRE(again.ok());
  CHECK(again->id == first->id);
  CHECK(core.pay.Execute({kAlice, 1, "tok", "key-2"}).error() == PaymentError::already_paid);
  CHECK(core.balance.Execute(kAlice).value() == 50000);

  RecallKeyedOutcome recall(core.store, core.store);
  CHECK(recall.payment(kAlice, "key-1")->id == first->id);
  CHECK(recall.payment(kAlice, "key-1", "tok")->id == first->id);
  CHECK_FALSE(recall.payment(kAlice, "key-1", "another-token"));
  CHECK_FALSE(recall.payment(kBob, "key-1"));
  CHECK_FALSE(recall.payment(kAlice, "key-2"));
}

TEST_CASE("A refunded payment's key answers 410 again, a pending one recalls nothing yet") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.crash_at = "after_debit";
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, std::nullopt, "key-1"}), Crash);
  core.crash_at = "";
  RecallKeyedOutcome recall(core.store, core.store);
  CHECK_FALSE(settled_answer(*recall.payment(kAlice, "key-1")));  // PENDING: no answer yet
  core.concert.holds[1].lapsed = true;
  core.now += 11s;
  CHECK(core.recover.Execute().refunded == 1);
  CHECK(settled_answer(*recall.payment(kAlice, "key-1"))->error() ==
        PaymentError::reservation_expired);
  CHECK(core.pay.Execute({kAlice, 1, std::nullopt, "key-1"}).error() ==
        PaymentError::reservation_expired);
  CHECK(core.balance.Execute(kAlice).value() == 200000);
}

TEST_CASE("A charge under a key is made once, its repeat answers the balance right after it") {
  PaymentCore core;
  RecallKeyedOutcome recall(core.store, core.store);
  CHECK_FALSE(recall.charge(kAlice, "c-1"));
  CHECK(core.charge.Execute(kAlice, 1000, "c-1").value() == 1000);
  CHECK(core.charge.Execute(kAlice, 500).value() == 1500);
  CHECK(core.charge.Execute(kAlice, 1000, "c-1").value() == 1000);
  CHECK(*recall.charge(kAlice, "c-1") == 1000);
  CHECK_FALSE(recall.charge(kBob, "c-1"));
  CHECK(core.balance.Execute(kAlice).value() == 1500);
  CHECK(core.history.Execute(kAlice, 20)->size() == 2);
}

TEST_CASE("A crash after the token expiry: recovery completes the payment, nothing is queued") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.crash_at = "after_token_expiry";
  CHECK_THROWS_AS(core.pay.Execute({kAlice, 1, "tok", std::nullopt}), Crash);
  CHECK(core.queue.expired.contains("tok"));
  CHECK(core.list.Execute(kAlice)->empty());  // still PENDING
  core.crash_at = "";
  core.now += 11s;
  const auto report = core.recover.Execute();
  CHECK(report.completed == 1);
  CHECK(report.tokens_expired == 0);  // expired again while settling, so none was queued
  CHECK(core.list.Execute(kAlice)->size() == 1);
  CHECK(core.store.due_token_expiries(core.now + 1h, 10).empty());
}

TEST_CASE("A token the queue did not expire at payment is retried by the work queue") {
  PaymentCore core;
  core.charge.Execute(kAlice, 200000);
  core.queue.down = true;
  auto paid = core.pay.Execute({kAlice, 1, "tok", std::nullopt});
  REQUIRE(paid.ok());
  CHECK(paid->status == PaymentStatus::completed);
  CHECK_FALSE(core.queue.expired.contains("tok"));
  CHECK(core.recover.Execute().tokens_expired == 0);  // still down
  core.queue.down = false;
  core.now += 5s;  // past the retry delay
  CHECK(core.recover.Execute().tokens_expired == 1);
  CHECK(core.queue.expired.contains("tok"));
  CHECK(core.recover.Execute().tokens_expired == 0);
}
