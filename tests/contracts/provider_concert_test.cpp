// Provider side of the payment-service -> concert-service pact: the real concert service on a
// throwaway database, verified by `pact verifier`. Each provider state makes a fresh hold (a new
// concert on a new date, seat 1, a new user) through the service's admin and public API, takes
// it where the state says, and hands the verifier its reservation id.
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>

#include "provider_states.hpp"
#include "support/dates.hpp"
#include "support/json.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"
#include "ticketing/ids.hpp"
#include "ticketing/json/writer.hpp"

namespace {

using contracts::StateValues;
using ticketing::http::Method;

struct Hold {
  std::string reservation_id;
  std::string user_id;
};

class ConcertProvider {
 public:
  ConcertProvider()
      : states_({{"a reservation is HELD",
                  [this](const auto& params) { return values_of(hold(params)); }},
                 {"a reservation is CONFIRMED for a payment",
                  [this](const auto& params) { return confirmed(params); }},
                 {"a reservation's hold has lapsed",
                  [this](const auto& params) { return lapsed(params); }},
                 {"a reservation is CANCELLED",
                  [this](const auto& params) { return cancelled(params); }},
                 // The pact's literal id: a fresh database has no reservation with it.
                 {"no reservation has the id", [](const auto&) { return StateValues{}; }}}) {}

  std::uint16_t port() const { return service_.process->port(); }
  const contracts::ProviderStates& states() const { return states_; }

 private:
  static StateValues values_of(const Hold& made) {
    return {{"reservationId", made.reservation_id}};
  }

  // A hold of seat 1 on a date of its own, at the price the state's params name.
  Hold hold(const rapidjson::Value& params) {
    std::string date;
    {
      std::lock_guard lock(mutex_);
      date = test_support::date_in_days(next_day_++);
    }
    ticketing::json::Writer concert;
    concert.begin_object()
        .field("title", "Contract test concert")
        .field("price", params["price"].GetInt64())
        .key("dates")
        .begin_array()
        .value(date)
        .end_array()
        .end_object();
    expect(201, Method::post, "/api/v1/admin/concerts", concert.take(),
           {{"X-Admin-Key", "test-admin-key"}});

    Hold made{{}, ticketing::RandomIds::uuid_v4()};
    const auto reservation = test_support::parse_json(
        expect(201, Method::post, "/api/v1/reservations",
               R"({"date":")" + date + R"(","seatNo":1})", {{"X-User-Id", made.user_id}}));
    made.reservation_id = std::to_string(reservation["reservationId"].GetInt64());
    return made;
  }

  StateValues confirmed(const rapidjson::Value& params) {
    const auto held = hold(params);
    ticketing::json::Writer body;
    body.begin_object().field("paymentId", params["paymentId"].GetString()).end_object();
    expect(200, Method::post, "/internal/v1/reservations/" + held.reservation_id + "/confirm",
           body.take());
    return values_of(held);
  }

  // The service has no way to age a hold, so its expiry is moved into the past in the
  // database: it then reads EXPIRED at once, before any sweep, as a lapsed hold does.
  StateValues lapsed(const rapidjson::Value& params) {
    const auto held = hold(params);
    pqxx::connection connection(service_.database.admin_url());
    pqxx::work work(connection);
    const auto moved = work.exec_params(
        "UPDATE concert.reservations SET expires_at = now() - interval '1 minute' "
        "WHERE id = $1 AND status = 'HELD'",
        held.reservation_id);
    work.exec_params(
        "UPDATE concert.seats SET hold_expires_at = now() - interval '1 minute' "
        "WHERE held_by = $1",
        held.reservation_id);
    work.commit();
    if (moved.affected_rows() != 1) throw std::runtime_error("no HELD reservation to lapse");
    return values_of(held);
  }

  StateValues cancelled(const rapidjson::Value& params) {
    const auto held = hold(params);
    expect(204, Method::del, "/api/v1/reservations/" + held.reservation_id, {},
           {{"X-User-Id", held.user_id}});
    return values_of(held);
  }

  std::string expect(int status, Method method, const std::string& target, const std::string& body,
                     ticketing::http::HeaderList headers = {}) {
    return contracts::expect_answer(client_, status, method, target, body, std::move(headers));
  }

  test_support::ConcertService service_;
  ticketing::http::Client client_{service_.process->client()};
  std::mutex mutex_;
  int next_day_ = 30;
  contracts::ProviderStates states_;
};

}  // namespace

TEST_CASE("concert-service honours its pact with payment-service") {
  ConcertProvider provider;
  contracts::require_verified("payment-service-concert-service", "concert-service", provider.port(),
                              provider.states());
}
