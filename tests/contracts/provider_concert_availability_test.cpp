// Provider side of the queue-service -> concert-service pact: the real concert service on a
// throwaway database, verified by `pact verifier`. The count covers every date from today on, so
// each state first sells out what earlier states left (hold and confirm every seat through the
// service's own API), then makes its own date: one hold on a fresh date, all 50 held, or nothing.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "provider_states.hpp"
#include "support/dates.hpp"
#include "support/json.hpp"
#include "support/queue_api.hpp"
#include "support/service_on_database.hpp"
#include "ticketing/ids.hpp"

namespace {

using contracts::StateValues;
using ticketing::http::Method;

constexpr int kSeatsPerDate = 50;

// A date this provider made, its one buyer, and the seats held and not yet confirmed.
struct Show {
  std::string date;
  std::string user_id;
  int next_free_seat = 1;
  std::vector<std::int64_t> held;
};

class AvailabilityProvider {
 public:
  AvailabilityProvider()
      : states_({{"a coming date has AVAILABLE and HELD seats",
                  [this](const auto&) { return some_left(); }},
                 {"every seat of the coming dates is HELD or SOLD, some HELD",
                  [this](const auto&) { return all_held(); }},
                 {"every seat of the coming dates is SOLD",
                  [this](const auto&) { return sold_out(); }}}) {}

  std::uint16_t port() const { return service_.process->port(); }
  const contracts::ProviderStates& states() const { return states_; }

 private:
  StateValues some_left() {
    hold(new_show(), 1);
    return {};
  }

  StateValues all_held() {
    sell_everything();
    hold(new_show(), kSeatsPerDate);
    return {};
  }

  StateValues sold_out() {
    sell_everything();
    return {};
  }

  Show& new_show() {
    Show show;
    show.date = test_support::date_in_days(30 + static_cast<int>(shows_.size()));
    show.user_id = ticketing::RandomIds::uuid_v4();
    expect(201, Method::post, "/api/v1/admin/concerts",
           R"({"title":"Contract test show","price":100,"dates":[")" + show.date + R"("]})",
           {{"X-Admin-Key", "test-admin-key"}});
    shows_.push_back(std::move(show));
    return shows_.back();
  }

  void hold(Show& show, int count) {
    for (int i = 0; i < count && show.next_free_seat <= kSeatsPerDate; ++i) {
      const auto reservation =
          test_support::parse_json(expect(201, Method::post, "/api/v1/reservations",
                                          R"({"date":")" + show.date + R"(","seatNo":)" +
                                              std::to_string(show.next_free_seat++) + "}",
                                          {{"X-User-Id", show.user_id}}));
      show.held.push_back(reservation["reservationId"].GetInt64());
    }
  }

  // Every seat of every show SOLD: the rest held, then each hold confirmed for a payment.
  void sell_everything() {
    for (auto& show : shows_) {
      hold(show, kSeatsPerDate);
      for (const auto reservation_id : show.held) {
        expect(200, Method::post,
               "/internal/v1/reservations/" + std::to_string(reservation_id) + "/confirm",
               R"({"paymentId":")" + ticketing::RandomIds::uuid_v4() + R"("})");
      }
      show.held.clear();
    }
  }

  std::string expect(int status, Method method, const std::string& target, const std::string& body,
                     ticketing::http::HeaderList headers = {}) {
    return contracts::expect_answer(client_, status, method, target, body, std::move(headers));
  }

  // One buyer holds all 50 seats of a show.
  test_support::ConcertService service_{{{"MAX_SEATS_PER_USER", std::to_string(kSeatsPerDate)}}};
  ticketing::http::Client client_{service_.process->client()};
  std::vector<Show> shows_;
  contracts::ProviderStates states_;
};

}  // namespace

TEST_CASE("concert-service honours its pact with queue-service") {
  AvailabilityProvider provider;
  contracts::require_verified("queue-service-concert-service", "concert-service", provider.port(),
                              provider.states());
}
