// The payment saga under crashes, an unreachable concert service, races and retries: queue,
// concert and payment run as real processes, each on its own throwaway database. The payment
// process dies at a saga point (PAYMENT_FAULT_POINT), is started again, and within a bounded time
// the product's invariants hold again, checked by SQL on the databases and through the APIs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/concert_client.hpp"
#include "support/json.hpp"
#include "support/payment_checks.hpp"
#include "support/payment_client.hpp"
#include "support/queue_client.hpp"
#include "support/queue_api.hpp"
#include "support/race.hpp"
#include "support/raw_http.hpp"
#include "support/stack.hpp"

using namespace std::chrono_literals;
using test_support::Environment;
using test_support::IssuedToken;
using test_support::lowercase;
using test_support::PaymentView;
using test_support::Reply;
using test_support::Stack;

namespace {

constexpr std::int64_t kPrice = 50'000;

// ---------------------------------------------------------------------------------------------
// Small helpers.

// Polls `done` every 100 ms until it holds or `timeout` passes; true when it held.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

std::string code_of(const std::string& body) {
  try {
    auto json = test_support::parse_json(body);
    if (json.IsObject() && json.HasMember("code") && json["code"].IsString()) {
      return json["code"].GetString();
    }
  } catch (const std::exception&) {
  }
  return {};
}

std::string string_field(const std::string& body, const char* name) {
  try {
    auto json = test_support::parse_json(body);
    if (json.IsObject() && json.HasMember(name) && json[name].IsString())
      return json[name].GetString();
  } catch (const std::exception&) {
  }
  return {};
}

// POST /api/v1/payments, or nullopt when no answer comes back (the process may die mid-way).
std::optional<Reply> try_pay(Stack& stack, const IssuedToken& visitor, std::int64_t reservation_id,
                             const std::string& key = {}) {
  try {
    return stack.pay(visitor, reservation_id, key);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The queue's answer to the visitor polling their token: "ACTIVE", "TOKEN_EXPIRED", ...
std::string token_state(Stack& stack, const IssuedToken& visitor) {
  const auto polled = stack.queue_client().poll(visitor.token);
  if (polled.status == 200) return string_field(polled.body, "status");
  return code_of(polled.body);
}

// ---------------------------------------------------------------------------------------------
// Sockets for the lossy proxy below.
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Sends one request with one Idempotency-Key from `senders` threads at once: exactly one runs
// and answers `status`; every other gets that answer replayed or is told it still runs (409
// IDEMPOTENCY_IN_PROGRESS).
void check_one_runs(int senders, const std::function<Reply()>& send, int status) {
  std::mutex mutex;
  std::vector<Reply> replies;
  test_support::race(senders, [&](int) {
    auto reply = send();
    std::lock_guard lock(mutex);
    replies.push_back(reply);
  });
  int fresh = 0, replayed = 0, in_progress = 0;
  std::string fresh_body, odd;
  for (const auto& reply : replies) {
    if (reply.status == status && !reply.header("Idempotency-Replayed")) {
      ++fresh;
      fresh_body = reply.body;
    } else if (reply.status == status) {
      ++replayed;
    } else if (reply.status == 409 && code_of(reply.body) == "IDEMPOTENCY_IN_PROGRESS") {
      ++in_progress;
    } else {
      odd += std::to_string(reply.status) + " " + reply.body + "\n";
    }
  }
  INFO("fresh " << fresh << ", replayed " << replayed << ", in progress " << in_progress << "\n"
                << odd);
  CHECK(fresh == 1);
  CHECK(fresh + replayed + in_progress == senders);
  for (const auto& reply : replies) {
    if (reply.status == status) CHECK(reply.body == fresh_body);
  }
}

// ---------------------------------------------------------------------------------------------
// A proxy between the payment and the concert service that can refuse, lose or delay the
// answer to a confirmation, or point at another concert process. One request at a time per
// connection; the upstream gets a fresh connection per request.

class ConcertProxy {
 public:
  enum class Mode { pass, refuse_confirm, lose_confirm_reply, delay_confirm };

  explicit ConcertProxy(std::uint16_t upstream) : upstream_(upstream) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("proxy cannot listen");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~ConcertProxy() {
    stop_ = true;
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_) worker.join();
    ::close(listener_);
  }
  ConcertProxy(const ConcertProxy&) = delete;
  ConcertProxy& operator=(const ConcertProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_mode(Mode mode, std::chrono::milliseconds delay = 0ms) {
    delay_ms_ = static_cast<int>(delay.count());
    mode_ = mode;
  }
  void set_upstream(std::uint16_t port) { upstream_ = port; }
  int confirms_seen() const { return confirms_; }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd] {
        serve(fd);
        ::close(fd);
      });
    }
  }

  // Reads one HTTP message (head and Content-Length body); nullopt on EOF, error or stop.
  std::optional<std::string> read_message(int fd, bool wait_forever) {
    std::string data;
    char buffer[8192];
    auto idle_since = std::chrono::steady_clock::now();
    for (;;) {
      const auto head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t length = 0;
        const auto head = lowercase(data.substr(0, head_end));
        if (auto at = head.find("content-length:"); at != std::string::npos) {
          length = std::stoul(head.substr(at + 15));
        }
        if (data.size() >= head_end + 4 + length) return data.substr(0, head_end + 4 + length);
      }
      if (stop_) return std::nullopt;
      if (!wait_forever && std::chrono::steady_clock::now() - idle_since > 15s) return std::nullopt;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const auto got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got <= 0) return std::nullopt;
      data.append(buffer, static_cast<std::size_t>(got));
      idle_since = std::chrono::steady_clock::now();
    }
  }

  void serve(int client) {
    for (;;) {
      auto request = read_message(client, true);
      if (!request) return;
      const bool confirm =
          request->rfind("POST ", 0) == 0 &&
          request->substr(0, request->find('\r')).find("/confirm") != std::string::npos;
      const auto mode = mode_.load();
      if (confirm) {
        ++confirms_;
        if (mode == Mode::refuse_confirm) return;  // closed with nothing sent: no answer
        if (mode == Mode::delay_confirm)
          std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
      }
      const int upstream = connect_to(upstream_);
      if (upstream < 0) return;  // the concert is down: the caller sees the connection close
      std::optional<std::string> response;
      if (write_all(upstream, *request)) response = read_message(upstream, false);
      ::close(upstream);
      if (!response) return;
      if (confirm && mode == Mode::lose_confirm_reply) return;  // done upstream, answer lost
      if (!write_all(client, *response)) return;
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<std::uint16_t> upstream_;
  std::atomic<Mode> mode_{Mode::pass};
  std::atomic<int> delay_ms_{0};
  std::atomic<int> confirms_{0};
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
};

// ---------------------------------------------------------------------------------------------
// The state of the three databases, and the product's invariants over it.

struct ReservationRow {
  std::int64_t id = 0;
  std::string user_id;
  std::string date;
  int seat_no = 0;
  std::int64_t price = 0;
  std::string status;
  std::string payment_id;  // empty: none
};

struct SeatRow {
  std::string date;
  int seat_no = 0;
  std::string status;
  std::int64_t held_by = 0;  // 0: none
};

struct LedgerSums {
  std::int64_t charges = 0, payments = 0, refunds = 0;
};

struct World {
  std::vector<PaymentView> payments;
  std::map<std::int64_t, ReservationRow> reservations;
  std::vector<SeatRow> seats;
  std::map<std::string, std::int64_t> balances;
  std::map<std::string, LedgerSums> ledger;
  // payment id -> (PAYMENT entries, REFUND entries)
  std::map<std::string, std::pair<int, int>> entries_of_payment;

  const PaymentView* payment(const std::string& id) const {
    for (const auto& p : payments) {
      if (lowercase(p.id) == lowercase(id)) return &p;
    }
    return nullptr;
  }
  std::vector<const PaymentView*> payments_of_reservation(std::int64_t reservation_id) const {
    std::vector<const PaymentView*> found;
    for (const auto& p : payments) {
      if (p.reservation_id == reservation_id) found.push_back(&p);
    }
    return found;
  }
  const SeatRow* seat(const std::string& date, int seat_no) const {
    for (const auto& s : seats) {
      if (s.date == date && s.seat_no == seat_no) return &s;
    }
    return nullptr;
  }
};

World snapshot(Stack& stack) {
  World world;
  {
    pqxx::connection connection(stack.concert.database.admin_url());
    pqxx::read_transaction txn(connection);
    for (const auto& row : txn.exec("SELECT id, user_id::text, date::text, seat_no, price, status, "
                                    "coalesce(payment_id, '') FROM concert.reservations")) {
      ReservationRow r{row[0].as<std::int64_t>(), row[1].as<std::string>(),
                       row[2].as<std::string>(),  row[3].as<int>(),
                       row[4].as<std::int64_t>(), row[5].as<std::string>(),
                       row[6].as<std::string>()};
      world.reservations[r.id] = r;
    }
    for (const auto& row : txn.exec("SELECT date::text, seat_no, status, coalesce(held_by, 0) "
                                    "FROM concert.seats WHERE status <> 'AVAILABLE'")) {
      world.seats.push_back({row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>(),
                             row[3].as<std::int64_t>()});
    }
  }
  pqxx::connection connection(stack.payment->database.admin_url());
  pqxx::read_transaction txn(connection);
  for (const auto& row : txn.exec("SELECT id::text, reservation_id, user_id::text, amount, status, "
                                  "coalesce((extract(epoch FROM completed_at) * 1000)::bigint, 0) "
                                  "FROM payment.payments")) {
    world.payments.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>(),
                              row[2].as<std::string>(), row[3].as<std::int64_t>(),
                              row[4].as<std::string>(), row[5].as<std::int64_t>()});
  }
  for (const auto& row : txn.exec("SELECT user_id::text, balance FROM payment.balances")) {
    world.balances[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  }
  for (const auto& row :
       txn.exec("SELECT user_id::text, type, amount, coalesce(payment_id::text, '') "
                "FROM payment.ledger")) {
    auto& sums = world.ledger[row[0].as<std::string>()];
    const auto type = row[1].as<std::string>();
    const auto amount = row[2].as<std::int64_t>();
    if (type == "CHARGE") sums.charges += amount;
    if (type == "PAYMENT") {
      sums.payments += amount;
      ++world.entries_of_payment[row[3].as<std::string>()].first;
    }
    if (type == "REFUND") {
      sums.refunds += amount;
      ++world.entries_of_payment[row[3].as<std::string>()].second;
    }
  }
  return world;
}

// Every way the state breaks the product's invariants; `settled`: no payment may be PENDING.
std::vector<std::string> violations(const World& world, bool settled) {
  std::vector<std::string> found;
  const auto add = [&](std::string text) { found.push_back(std::move(text)); };

  // A seat is SOLD only for its CONFIRMED reservation, paid by a COMPLETED payment of its owner.
  std::map<std::pair<std::string, int>, int> sold_per_seat;
  for (const auto& seat : world.seats) {
    if (seat.status != "SOLD") continue;
    const auto where = seat.date + "/" + std::to_string(seat.seat_no);
    ++sold_per_seat[{seat.date, seat.seat_no}];
    auto reservation = world.reservations.find(seat.held_by);
    if (reservation == world.reservations.end() || reservation->second.status != "CONFIRMED") {
      add("seat " + where + " SOLD without a CONFIRMED reservation");
      continue;
    }
    const auto& r = reservation->second;
    if (r.date != seat.date || r.seat_no != seat.seat_no)
      add("seat " + where + " sold for another seat's reservation");
    const auto* payment = world.payment(r.payment_id);
    // Before settling, a confirmed seat may still wait for its PENDING payment to complete.
    const bool paid = payment != nullptr && (payment->status == "COMPLETED" ||
                                             (!settled && payment->status == "PENDING"));
    if (!paid) {
      add("seat " + where + " SOLD, reservation " + std::to_string(r.id) +
          " has no COMPLETED payment");
    } else if (payment->reservation_id != r.id ||
               lowercase(payment->user_id) != lowercase(r.user_id) || payment->amount != r.price) {
      add("seat " + where + ": payment " + payment->id + " is not its owner's for its price");
    }
  }
  // Every CONFIRMED reservation holds its seat as SOLD; confirmed seats are unique.
  std::map<std::pair<std::string, int>, int> confirmed_per_seat;
  for (const auto& [id, r] : world.reservations) {
    if (r.status != "CONFIRMED") continue;
    ++confirmed_per_seat[{r.date, r.seat_no}];
    const auto* seat = world.seat(r.date, r.seat_no);
    if (seat == nullptr || seat->status != "SOLD" || seat->held_by != id) {
      add("reservation " + std::to_string(id) + " CONFIRMED but its seat is not SOLD for it");
    }
    const auto* payment = world.payment(r.payment_id);
    if (payment == nullptr)
      add("reservation " + std::to_string(id) + " confirmed for unknown payment " + r.payment_id);
    else if (settled && payment->status != "COMPLETED") {
      add("reservation " + std::to_string(id) + " CONFIRMED for a " + payment->status + " payment");
    }
  }
  for (const auto& [seat, count] : confirmed_per_seat) {
    if (count > 1)
      add("seat " + seat.first + "/" + std::to_string(seat.second) + " confirmed twice");
  }
  // Every COMPLETED payment has its reservation CONFIRMED for it; one live payment a reservation.
  std::map<std::int64_t, int> live_per_reservation;
  for (const auto& p : world.payments) {
    if (p.status == "PENDING" || p.status == "COMPLETED") ++live_per_reservation[p.reservation_id];
    if (settled && p.status == "PENDING") add("payment " + p.id + " still PENDING");
    if (p.status == "COMPLETED") {
      auto r = world.reservations.find(p.reservation_id);
      if (r == world.reservations.end() || r->second.status != "CONFIRMED" ||
          lowercase(r->second.payment_id) != lowercase(p.id)) {
        add("payment " + p.id + " COMPLETED but reservation " + std::to_string(p.reservation_id) +
            " is not CONFIRMED for it");
      }
    }
    const auto entries = world.entries_of_payment.count(lowercase(p.id)) != 0
                             ? world.entries_of_payment.at(lowercase(p.id))
                             : std::pair<int, int>{0, 0};
    if (entries.first != 1)
      add("payment " + p.id + " has " + std::to_string(entries.first) + " PAYMENT entries");
    if (entries.second != (p.status == "FAILED" ? 1 : 0)) {
      add("payment " + p.id + " (" + p.status + ") has " + std::to_string(entries.second) +
          " REFUND entries");
    }
  }
  for (const auto& [reservation, count] : live_per_reservation) {
    if (count > 1)
      add("reservation " + std::to_string(reservation) + " has " + std::to_string(count) +
          " live payments");
  }
  // balance == charges - payments + refunds, never negative.
  std::set<std::string> users;
  for (const auto& [user, balance] : world.balances) users.insert(user);
  for (const auto& [user, sums] : world.ledger) users.insert(user);
  for (const auto& user : users) {
    const auto balance = world.balances.count(user) != 0 ? world.balances.at(user) : 0;
    const auto sums = world.ledger.count(user) != 0 ? world.ledger.at(user) : LedgerSums{};
    const auto expected = sums.charges - sums.payments + sums.refunds;
    if (balance != expected || balance < 0) {
      add("user " + user + ": balance " + std::to_string(balance) + ", ledger says " +
          std::to_string(expected));
    }
  }
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// Waits (bounded) until nothing is PENDING and every invariant holds; asserts it.
void require_settled(Stack& stack, std::chrono::milliseconds timeout = 10s) {
  std::vector<std::string> last;
  eventually(
      [&] {
        last = violations(snapshot(stack), true);
        return last.empty();
      },
      timeout);
  INFO(joined(last));
  REQUIRE(last.empty());
}

// One visitor, charged, holding one seat.
struct Buyer {
  IssuedToken visitor;
  std::string date;
  int seat_no = 0;
  std::int64_t reservation_id = 0;
  std::int64_t charged = 0;
};

Buyer buyer(Stack& stack, const std::string& date, int seat_no, std::int64_t charge = 2 * kPrice) {
  Buyer b{stack.visitor(), date, seat_no, 0, charge};
  auto charged = stack.charge(b.visitor.user_id, charge);
  if (charged.status != 200) throw std::runtime_error("charge: " + charged.body);
  b.reservation_id = stack.hold(b.visitor.user_id, date, seat_no);
  return b;
}

// The payment (payment schema) of a reservation, if exactly one.
std::optional<PaymentView> only_payment(const World& world, std::int64_t reservation_id) {
  auto found = world.payments_of_reservation(reservation_id);
  if (found.size() != 1) return std::nullopt;
  return *found.front();
}

// Pays and expects the process to die at its fault point (exit 86), the request unanswered.
void pay_into_crash(Stack& stack, const Buyer& b, const std::string& key = {}) {
  auto response = try_pay(stack, b.visitor, b.reservation_id, key);
  INFO("pay answered " << (response ? std::to_string(response->status) + " " + response->body
                                    : std::string("nothing")));
  REQUIRE_FALSE(response.has_value());
  CHECK(stack.payment->process->terminate() == 86);
}

const Environment kFast{{"RECOVERY_GRACE_SECONDS", "1"}, {"RECOVERY_INTERVAL_MS", "100"}};

Environment with_fault(const std::string& point) {
  Environment settings = kFast;
  settings.emplace_back("PAYMENT_FAULT_POINT", point);
  return settings;
}

const Environment kNoFault{{"PAYMENT_FAULT_POINT", "none"}};

// The payment service's settings, no fault, with its calls to the concert service through `proxy`.
Environment via(const ConcertProxy& proxy) {
  Environment settings = kNoFault;
  settings.emplace_back("CONCERT_URL", proxy.url());
  return settings;
}

// The buyer's payment COMPLETED once: seat SOLD for it, debited once, no refund.
void check_completed_once(Stack& stack, const Buyer& b) {
  const auto world = snapshot(stack);
  const auto payment = only_payment(world, b.reservation_id);
  REQUIRE(payment);
  CHECK(payment->status == "COMPLETED");
  CHECK(payment->amount == kPrice);
  const auto& r = world.reservations.at(b.reservation_id);
  CHECK(r.status == "CONFIRMED");
  CHECK(lowercase(r.payment_id) == lowercase(payment->id));
  const auto* seat = world.seat(b.date, b.seat_no);
  REQUIRE(seat != nullptr);
  CHECK(seat->status == "SOLD");
  CHECK(stack.balance(b.visitor.user_id) == b.charged - kPrice);
  const auto sums = world.ledger.at(b.visitor.user_id);
  CHECK(sums.payments == kPrice);
  CHECK(sums.refunds == 0);
}

void require_token_expired(Stack& stack, const Buyer& b) {
  std::string state;
  eventually([&] {
    state = token_state(stack, b.visitor);
    return state == "TOKEN_EXPIRED";
  });
  CHECK(state == "TOKEN_EXPIRED");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. The payment process dies at each point of the saga.

// What a crash at each point of the saga leaves behind, the hold still live.
struct CrashPoint {
  std::string point;
  std::string reservation_left;  // HELD before the confirmation, CONFIRMED after it
  bool token_used_up;            // the queue token was expired before the crash
};

TEST_CASE("Crash at each point of the saga with the hold live: completed once, charged once",
          "[saga][crash]") {
  const auto crash = GENERATE(CrashPoint{"after_debit", "HELD", false},
                              CrashPoint{"after_confirm", "CONFIRMED", false},
                              CrashPoint{"after_token_expiry", "CONFIRMED", true});
  INFO("the payment process dies " << crash.point);
  Stack stack(with_fault(crash.point));
  const auto date = stack.concert_on(test_support::date_in_days(20), kPrice);
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    if (round > 0) stack.restart_payment();  // with the fault again
    const auto b = buyer(stack, date, round + 1);
    pay_into_crash(stack, b);

    // Left behind: a PENDING payment, the balance debited, the seat HELD or already SOLD for it.
    auto world = snapshot(stack);
    auto pending = only_payment(world, b.reservation_id);
    REQUIRE(pending);
    CHECK(pending->status == "PENDING");
    CHECK(world.balances.at(b.visitor.user_id) == b.charged - kPrice);
    const auto& reservation = world.reservations.at(b.reservation_id);
    CHECK(reservation.status == crash.reservation_left);
    if (crash.reservation_left == "CONFIRMED")
      CHECK(lowercase(reservation.payment_id) == lowercase(pending->id));
    CHECK(violations(world, false).empty());
    CHECK((token_state(stack, b.visitor) == "TOKEN_EXPIRED") == crash.token_used_up);

    stack.restart_payment(kNoFault);
    if (round == 1) {
      // Another request without the first one's key: the reservation is being paid already.
      auto again = stack.pay(b.visitor, b.reservation_id);
      INFO(again.status << " " << again.body);
      CHECK(again.status == 409);
      CHECK(code_of(again.body) == "ALREADY_PAID");
    }
    require_settled(stack);
    check_completed_once(stack, b);
    CHECK(only_payment(snapshot(stack), b.reservation_id)->id == pending->id);
    require_token_expired(stack, b);
    // The token was expired (again) before completing: no retry of its expiry was queued.
    pqxx::connection connection(stack.payment->database.admin_url());
    pqxx::read_transaction txn(connection);
    CHECK(txn.exec1("SELECT count(*) FROM payment.token_expiries")[0].as<int>() == 0);
  }
}

TEST_CASE("Crash after the debit, the hold lapsing before recovery: the payment is refunded",
          "[saga][crash]") {
  Stack stack(with_fault("after_debit"), {{"HOLD_TTL_SECONDS", "2"}});
  const auto date = stack.concert_on(test_support::date_in_days(21), kPrice);
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    if (round > 0) stack.restart_payment();
    const auto held_at = std::chrono::steady_clock::now();
    const auto b = buyer(stack, date, round + 1);
    pay_into_crash(stack, b);
    CHECK(snapshot(stack).balances.at(b.visitor.user_id) == b.charged - kPrice);

    std::this_thread::sleep_until(held_at + 2500ms);  // past the hold's expiry
    std::optional<Buyer> taker;
    if (round == 2) {  // someone else holds the lapsed seat before recovery runs
      taker = Buyer{stack.visitor(), date, b.seat_no, 0, 2 * kPrice};
      taker->reservation_id = stack.hold(taker->visitor.user_id, date, b.seat_no);
    }
    stack.restart_payment(kNoFault);
    if (taker) {  // pays at once, within its 2 s hold, while recovery refunds the lapsed payment
      REQUIRE(stack.charge(taker->visitor.user_id, taker->charged).status == 200);
      CHECK(stack.pay(taker->visitor, taker->reservation_id).status == 201);
    }
    require_settled(stack);
    if (taker) check_completed_once(stack, *taker);

    const auto world = snapshot(stack);
    const auto payment = only_payment(world, b.reservation_id);
    REQUIRE(payment);
    CHECK(payment->status == "FAILED");
    CHECK(stack.balance(b.visitor.user_id) == b.charged);
    const auto sums = world.ledger.at(b.visitor.user_id);
    CHECK(sums.payments == kPrice);
    CHECK(sums.refunds == kPrice);
    CHECK(world.reservations.at(b.reservation_id).status != "CONFIRMED");
    const auto* seat = world.seat(b.date, b.seat_no);
    CHECK((taker || seat == nullptr || seat->status != "SOLD"));
    // The visitor keeps their token: nothing was bought.
    CHECK(token_state(stack, b.visitor) == "ACTIVE");
    auto again = stack.pay(b.visitor, b.reservation_id);
    CHECK(again.status == 410);
    CHECK(code_of(again.body) == "RESERVATION_EXPIRED");
    CHECK(stack.balance(b.visitor.user_id) == b.charged);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The concert service does not answer the confirmation.

TEST_CASE("Confirmation unanswered: the payment stays PENDING, then completes once",
          "[saga][unreachable]") {
  Stack stack(kFast);
  ConcertProxy proxy(stack.concert.process->port());
  stack.restart_payment(via(proxy));
  const auto date = stack.concert_on(test_support::date_in_days(24), kPrice);

  for (auto mode : {ConcertProxy::Mode::refuse_confirm, ConcertProxy::Mode::lose_confirm_reply}) {
    const bool lost_reply = mode == ConcertProxy::Mode::lose_confirm_reply;
    INFO((lost_reply ? "confirmed, answer lost" : "confirmation never arrives"));
    const auto b = buyer(stack, date, lost_reply ? 2 : 1);
    proxy.set_mode(mode);
    auto response = stack.pay(b.visitor, b.reservation_id);
    CHECK(response.status == 503);
    CHECK(code_of(response.body) == "SERVICE_UNAVAILABLE");
    CHECK(response.content_type().find("application/problem+json") == 0);

    // Recovery keeps asking and settles nothing while the outcome is unknown.
    std::this_thread::sleep_for(2000ms);
    auto world = snapshot(stack);
    auto pending = only_payment(world, b.reservation_id);
    REQUIRE(pending);
    CHECK(pending->status == "PENDING");
    CHECK(world.ledger.at(b.visitor.user_id).refunds == 0);
    CHECK(stack.balance(b.visitor.user_id) == b.charged - kPrice);
    CHECK(world.reservations.at(b.reservation_id).status == (lost_reply ? "CONFIRMED" : "HELD"));
    CHECK(violations(world, false).empty());
    CHECK(token_state(stack, b.visitor) == "ACTIVE");

    proxy.set_mode(ConcertProxy::Mode::pass);
    require_settled(stack);
    check_completed_once(stack, b);
    require_token_expired(stack, b);
  }
  CHECK(proxy.confirms_seen() >= 4);
}

TEST_CASE("Concert service down: payment waits for it, new payments get 503 with nothing charged",
          "[saga][unreachable]") {
  Stack stack(with_fault("after_debit"));
  const auto date = stack.concert_on(test_support::date_in_days(25), kPrice);
  const auto crashed = buyer(stack, date, 1);
  const auto waiting = buyer(stack, date, 2);
  pay_into_crash(stack, crashed);

  stack.concert.process->terminate();
  stack.restart_payment(kNoFault);
  std::this_thread::sleep_for(2500ms);  // past the grace, many recovery passes
  auto world_before = snapshot(stack);
  auto pending = only_payment(world_before, crashed.reservation_id);
  REQUIRE(pending);
  CHECK(pending->status == "PENDING");
  CHECK(stack.balance(crashed.visitor.user_id) == crashed.charged - kPrice);
  CHECK(world_before.ledger.at(crashed.visitor.user_id).refunds == 0);

  // The reservation cannot be read: refused before anything is debited.
  auto refused = stack.pay(waiting.visitor, waiting.reservation_id);
  CHECK(refused.status == 503);
  CHECK(code_of(refused.body) == "SERVICE_UNAVAILABLE");
  CHECK(stack.balance(waiting.visitor.user_id) == waiting.charged);
  CHECK(snapshot(stack).payments_of_reservation(waiting.reservation_id).empty());

  // The concert service comes back (on another port) and the payment follows it.
  stack.concert.process = stack.concert.start_replica();
  Environment back = kNoFault;
  back.emplace_back("CONCERT_URL",
                    "http://127.0.0.1:" + std::to_string(stack.concert.process->port()));
  stack.restart_payment(back);
  require_settled(stack);
  check_completed_once(stack, crashed);
  require_token_expired(stack, crashed);

  auto paid = stack.pay(waiting.visitor, waiting.reservation_id);
  CHECK(paid.status == 201);
  require_settled(stack);
  check_completed_once(stack, waiting);
}

TEST_CASE("Two payment replicas recovering at once settle each PENDING payment once",
          "[saga][unreachable][race]") {
  Stack stack(kFast);
  ConcertProxy proxy(stack.concert.process->port());
  stack.restart_payment(via(proxy));
  auto replica = stack.payment->start_replica(via(proxy));
  const auto date = stack.concert_on(test_support::date_in_days(30), kPrice);

  // Six payments left PENDING by unanswered confirmations; half of the holds are then released.
  proxy.set_mode(ConcertProxy::Mode::refuse_confirm);
  std::vector<Buyer> buyers;
  for (int i = 0; i < 6; ++i) {
    buyers.push_back(buyer(stack, date, i + 1));
    CHECK(stack.pay(buyers.back().visitor, buyers.back().reservation_id).status == 503);
  }
  const auto concert = stack.concert_client();
  for (int i = 0; i < 6; i += 2) {
    const auto released = concert.cancel(buyers[i].visitor.user_id, buyers[i].reservation_id);
    CHECK(released.status == 204);
  }
  CHECK(violations(snapshot(stack), false).empty());

  proxy.set_mode(ConcertProxy::Mode::pass);
  require_settled(stack);
  const auto world = snapshot(stack);
  for (int i = 0; i < 6; ++i) {
    INFO("buyer " << i);
    const auto& b = buyers[static_cast<std::size_t>(i)];
    if (i % 2 == 0) {
      CHECK(only_payment(world, b.reservation_id)->status == "FAILED");
      CHECK(world.ledger.at(b.visitor.user_id).refunds == kPrice);
      CHECK(stack.balance(b.visitor.user_id) == b.charged);
    } else {
      check_completed_once(stack, b);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Races and lapsed holds.

TEST_CASE("100 concurrent charges of one user are all kept", "[saga][race]") {
  Stack stack(kFast);
  const auto visitor = stack.visitor();
  std::atomic<int> ok{0};
  test_support::race(100, [&](int) {
    if (stack.charge(visitor.user_id, 1000).status == 200) ++ok;
  });
  CHECK(ok == 100);
  CHECK(stack.balance(visitor.user_id) == 100'000);
  pqxx::connection connection(stack.payment->database.admin_url());
  pqxx::read_transaction txn(connection);
  const auto entries = txn.exec1(
      "SELECT count(*), count(DISTINCT balance_after), max(balance_after) FROM payment.ledger "
      "WHERE type = 'CHARGE'");
  CHECK(entries[0].as<int>() == 100);
  CHECK(entries[1].as<int>() == 100);  // each charge saw the one before it
  CHECK(entries[2].as<std::int64_t>() == 100'000);
  CHECK(violations(snapshot(stack), true).empty());
}

TEST_CASE("20 concurrent payments of one reservation charge the user once", "[saga][race]") {
  Stack stack(kFast);
  const auto date = stack.concert_on(test_support::date_in_days(26), kPrice);
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    const auto b = buyer(stack, date, round + 1, 3 * kPrice);
    std::mutex mutex;
    std::vector<std::pair<int, std::string>> answers;
    test_support::race(20, [&](int t) {
      // Half with their own key, half without.
      const auto key =
          t % 2 == 0 ? "race-" + std::to_string(round) + "-" + std::to_string(t) : std::string();
      auto response = stack.pay(b.visitor, b.reservation_id, key);
      std::lock_guard lock(mutex);
      answers.emplace_back(response.status, response.body);
    });
    std::set<std::string> paid_ids;
    int created = 0, already_paid = 0, other = 0;
    std::string others;
    for (const auto& [status, body] : answers) {
      if (status == 201) {
        ++created;
        paid_ids.insert(string_field(body, "paymentId"));
      } else if (status == 409 && code_of(body) == "ALREADY_PAID") {
        ++already_paid;
      } else {
        ++other;
        others += std::to_string(status) + " " + body + "\n";
      }
    }
    INFO("201: " << created << ", 409 ALREADY_PAID: " << already_paid << ", other:\n" << others);
    CHECK(created == 1);  // the same situation always gets the same answer
    CHECK(already_paid == 19);
    CHECK(paid_ids.size() == 1);
    CHECK(other == 0);
    require_settled(stack);
    check_completed_once(stack, b);
    const auto world = snapshot(stack);
    CHECK(world.payments_of_reservation(b.reservation_id).size() == 1);
    CHECK(paid_ids.count(only_payment(world, b.reservation_id)->id) == 1);
  }
}

TEST_CASE("A lapsed hold is not charged, or is refunded when it lapses mid-payment",
          "[saga][race]") {
  Stack stack(kFast, {{"HOLD_TTL_SECONDS", "1"}});
  ConcertProxy proxy(stack.concert.process->port());
  stack.restart_payment(via(proxy));
  const auto date = stack.concert_on(test_support::date_in_days(27), kPrice);

  SECTION("lapsed before the payment: 410, nothing charged") {
    const auto b = buyer(stack, date, 1);
    std::this_thread::sleep_for(1500ms);
    auto response = stack.pay(b.visitor, b.reservation_id);
    CHECK(response.status == 410);
    CHECK(code_of(response.body) == "RESERVATION_EXPIRED");
    CHECK(stack.balance(b.visitor.user_id) == b.charged);
    CHECK(snapshot(stack).payments_of_reservation(b.reservation_id).empty());
  }
  SECTION("lapsed between the debit and the confirmation: 410, refunded at once") {
    const auto b = buyer(stack, date, 2);
    proxy.set_mode(ConcertProxy::Mode::delay_confirm, 1500ms);
    auto response = stack.pay(b.visitor, b.reservation_id);
    CHECK(response.status == 410);
    CHECK(code_of(response.body) == "RESERVATION_EXPIRED");
    CHECK(stack.balance(b.visitor.user_id) == b.charged);
    const auto world = snapshot(stack);
    const auto payment = only_payment(world, b.reservation_id);
    REQUIRE(payment);
    CHECK(payment->status == "FAILED");
    CHECK(world.ledger.at(b.visitor.user_id).refunds == kPrice);
    const auto* seat = world.seat(b.date, b.seat_no);
    CHECK((seat == nullptr || seat->status != "SOLD"));
    CHECK(token_state(stack, b.visitor) == "ACTIVE");
  }
  require_settled(stack);
}

// ---------------------------------------------------------------------------------------------
// 5. Idempotency over HTTP.

TEST_CASE("Charges with an Idempotency-Key run once", "[saga][idempotency]") {
  Stack stack(kFast);
  const auto visitor = stack.visitor();

  auto first = stack.charge(visitor.user_id, 1000, "charge-1");
  REQUIRE(first.status == 200);
  CHECK_FALSE(first.header("Idempotency-Replayed"));
  auto second = stack.charge(visitor.user_id, 1000, "charge-1");
  CHECK(second.status == 200);
  CHECK(second.body == first.body);
  CHECK(second.header("Idempotency-Replayed") == "true");
  CHECK(stack.balance(visitor.user_id) == 1000);

  auto reused = stack.charge(visitor.user_id, 2000, "charge-1");
  CHECK(reused.status == 422);
  CHECK(code_of(reused.body) == "IDEMPOTENCY_KEY_REUSED");
  CHECK(reused.content_type().find("application/problem+json") == 0);
  CHECK(stack.balance(visitor.user_id) == 1000);

  // Keys belong to their user: another user's same key is a new request.
  const auto other = stack.visitor();
  CHECK(stack.charge(other.user_id, 500, "charge-1").status == 200);
  CHECK(stack.balance(other.user_id) == 500);

  // Many at once with one key: one runs, the rest are told it runs or get its answer.
  check_one_runs(
      10, [&] { return stack.charge(visitor.user_id, 3000, "charge-2"); }, 200);
  CHECK(stack.balance(visitor.user_id) == 4000);
  pqxx::connection connection(stack.payment->database.admin_url());
  pqxx::read_transaction txn(connection);
  CHECK(txn.exec1("SELECT count(*) FROM payment.ledger WHERE type = 'CHARGE' AND user_id = '" +
                  visitor.user_id + "'")[0]
            .as<int>() == 2);
  txn.commit();
  CHECK(violations(snapshot(stack), true).empty());
}

TEST_CASE("Payments with an Idempotency-Key run once", "[saga][idempotency]") {
  Stack stack(kFast);
  const auto date = stack.concert_on(test_support::date_in_days(28), kPrice);
  const auto b = buyer(stack, date, 1, 3 * kPrice);

  auto first = stack.pay(b.visitor, b.reservation_id, "pay-1");
  REQUIRE(first.status == 201);
  CHECK_FALSE(first.header("Idempotency-Replayed"));
  auto second = stack.pay(b.visitor, b.reservation_id, "pay-1");
  CHECK(second.status == 201);
  CHECK(second.body == first.body);
  CHECK(second.header("Idempotency-Replayed") == "true");
  check_completed_once(stack, b);

  // Same key, another reservation: refused, nothing charged.
  const auto seat2 = stack.hold(b.visitor.user_id, date, 2);
  auto reused = stack.pay(b.visitor, seat2, "pay-1");
  CHECK(reused.status == 422);
  CHECK(code_of(reused.body) == "IDEMPOTENCY_KEY_REUSED");
  CHECK(stack.balance(b.visitor.user_id) == b.charged - kPrice);

  // Many at once with one key: exactly one payment runs.
  const auto c = buyer(stack, date, 3, 3 * kPrice);
  check_one_runs(
      10, [&] { return stack.pay(c.visitor, c.reservation_id, "pay-2"); }, 201);
  require_settled(stack);
  check_completed_once(stack, c);
}

TEST_CASE("A payment whose process died: a retry with its key gets its settled answer",
          "[saga][idempotency][crash]") {
  const auto point = GENERATE(as<std::string>{}, "after_debit", "after_confirm");
  INFO("fault point " << point);
  Stack stack(with_fault(point));
  const auto date = stack.concert_on(test_support::date_in_days(29), kPrice);
  const auto b = buyer(stack, date, 1);
  pay_into_crash(stack, b, "crash-key");
  const auto pending = only_payment(snapshot(stack), b.reservation_id);
  REQUIRE(pending);
  stack.restart_payment(kNoFault);

  // At once: the payment itself (resumed, or settled by recovery), or still in progress.
  auto retry = stack.pay(b.visitor, b.reservation_id, "crash-key");
  INFO(retry.status << " " << retry.body);
  CHECK((retry.status == 201 ||
         (retry.status == 409 && code_of(retry.body) == "IDEMPOTENCY_IN_PROGRESS")));
  if (retry.status == 201) CHECK(string_field(retry.body, "paymentId") == pending->id);
  // Another key is another request: the reservation is paid.
  auto other = stack.pay(b.visitor, b.reservation_id, "another-key");
  CHECK(other.status == 409);
  CHECK(code_of(other.body) == "ALREADY_PAID");
  require_settled(stack);
  check_completed_once(stack, b);
  // Once settled, always the first request's answer: 201 with its payment.
  auto later = stack.pay(b.visitor, b.reservation_id, "crash-key");
  CHECK(later.status == 201);
  CHECK(string_field(later.body, "paymentId") == pending->id);
  CHECK(stack.balance(b.visitor.user_id) == b.charged - kPrice);
}

TEST_CASE("A payment refunded after its process died: a retry with its key gets the 410",
          "[saga][idempotency][crash]") {
  Stack stack(with_fault("after_debit"), {{"HOLD_TTL_SECONDS", "1"}});
  const auto date = stack.concert_on(test_support::date_in_days(30), kPrice);
  const auto b = buyer(stack, date, 1);
  pay_into_crash(stack, b, "lapse-key");
  std::this_thread::sleep_for(1500ms);  // the hold lapses before recovery settles
  stack.restart_payment(kNoFault);
  require_settled(stack);
  auto retry = stack.pay(b.visitor, b.reservation_id, "lapse-key");
  CHECK(retry.status == 410);
  CHECK(code_of(retry.body) == "RESERVATION_EXPIRED");
  CHECK(stack.balance(b.visitor.user_id) == b.charged);
}

// The database died after a keyed request's effect committed and before its answer was stored:
// the key's record is left claimed without an answer. Made here by erasing the stored answer.
void lose_stored_answer(Stack& stack, const std::string& key, bool abandoned) {
  pqxx::connection connection(stack.payment->database.admin_url());
  pqxx::work txn(connection);
  const auto changed = txn.exec(
      "UPDATE payment.idempotency_keys SET response_status = NULL, response_body = NULL" +
      std::string(abandoned ? ", started_at = started_at - interval '61 seconds'" : "") +
      " WHERE key = " + txn.quote(key));
  REQUIRE(changed.affected_rows() == 1);
  txn.commit();
}

TEST_CASE("A keyed request whose answer was lost after its effect is answered, never run twice",
          "[saga][idempotency][crash]") {
  Stack stack(kFast);
  const auto abandoned = GENERATE(false, true);  // retried at once, or after the take-over time
  INFO("abandoned " << abandoned);

  const auto visitor = stack.visitor();
  auto charged = stack.charge(visitor.user_id, 70'001, "charge-lost");
  REQUIRE(charged.status == 200);
  lose_stored_answer(stack, "charge-lost", abandoned);
  for (int retry = 0; retry < 2; ++retry) {
    auto again = stack.charge(visitor.user_id, 70'001, "charge-lost");
    CHECK(again.status == 200);
    CHECK(again.body == charged.body);
  }
  CHECK(stack.balance(visitor.user_id) == 70'001);

  const auto date = stack.concert_on(test_support::date_in_days(31 + (abandoned ? 1 : 0)), kPrice);
  const auto b = buyer(stack, date, 1);
  auto paid = stack.pay(b.visitor, b.reservation_id, "pay-lost");
  REQUIRE(paid.status == 201);
  lose_stored_answer(stack, "pay-lost", abandoned);
  auto again = stack.pay(b.visitor, b.reservation_id, "pay-lost");
  CHECK(again.status == 201);
  CHECK(string_field(again.body, "paymentId") == string_field(paid.body, "paymentId"));
  check_completed_once(stack, b);
  require_settled(stack);
}
