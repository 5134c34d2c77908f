// Consumer side of the payment-service -> concert-service pact: the payment service's real
// concert client (HttpConcertClient) against `pact stub` serving the pact, one call per
// interaction, asserting what the saga is told. If the client sends what the pact does not
// describe, the stub answers a bare 404 and the client's answer changes: the test fails.
#include <catch2/catch.hpp>
#include <exception>
#include <optional>
#include <set>
#include <string>

#include "adapters/clients/http_concert_client.hpp"
#include "pact_cli.hpp"
#include "pact_file.hpp"
#include "support/service_process.hpp"

namespace {

using contracts::Interaction;
using payment::ConfirmAnswer;
using payment::HoldState;

constexpr std::string_view kReservations = "/internal/v1/reservations/";

std::int64_t reservation_in(const Interaction& interaction) {
  return contracts::number_after(interaction.request_path(), kReservations);
}

// The reservation the client read or confirmed is the one the pact's answer describes.
void check_view(const payment::ReservationView& view, const Interaction& interaction) {
  CHECK(view.reservation_id == interaction.response_int("reservationId"));
  CHECK(view.user_id == interaction.response_string("userId"));
  CHECK(view.price == interaction.response_int("price"));
}

}  // namespace

TEST_CASE("payment-service concert client against the concert-service pact stub") {
  const contracts::PactFile pact("payment-service-concert-service");
  contracts::Coverage coverage(pact);
  const contracts::PactStub stub(pact.path());
  payment::HttpConcertClient client(test_support::loopback_options(stub.port()));

  // The client's read; a thrown DependencyUnavailable (the stub's bare 404 for a request outside
  // the pact, or an answer the client cannot use) fails with what the stub saw.
  const auto read_of = [&](std::string_view description, const Interaction& interaction) {
    try {
      return client.read(reservation_in(interaction));
    } catch (const std::exception& error) {
      FAIL(description << ": " << error.what() << "\nstub log:\n" << stub.log());
    }
    return std::optional<payment::ReservationView>();
  };
  const auto read = [&](std::string_view description, HoldState expected) {
    const auto interaction = coverage.use(description);
    const auto view = read_of(description, interaction);
    INFO(description << "\nstub log:\n" << stub.log());
    REQUIRE(view.has_value());
    check_view(*view, interaction);
    CHECK(view->state == expected);
    // Only a CONFIRMED reservation names the payment it was confirmed for.
    if (expected == HoldState::confirmed) {
      CHECK(view->payment_id == interaction.response_string("paymentId"));
    } else {
      CHECK_FALSE(view->payment_id.has_value());
    }
  };
  const auto confirm = [&](std::string_view description, ConfirmAnswer expected) {
    const auto interaction = coverage.use(description);
    const auto outcome =
        client.confirm(reservation_in(interaction), interaction.request_body_string("paymentId"));
    INFO(description << "\nstub log:\n" << stub.log());
    CHECK(outcome == expected);
  };

  // Reads: the saga learns owner, price and state of the hold, as of now.
  read("a read of a HELD reservation", HoldState::held);
  read("a read of a CONFIRMED reservation", HoldState::confirmed);
  read("a read of a reservation whose hold lapsed", HoldState::expired);
  read("a read of a CANCELLED reservation", HoldState::cancelled);
  {
    const auto unknown = coverage.use("a read of an unknown reservation");
    const auto view = read_of("a read of an unknown reservation", unknown);
    INFO("stub log:\n" << stub.log());
    CHECK_FALSE(view.has_value());
  }

  // Confirms: confirmed (now or before, for this payment) or refused; never "ask again later".
  confirm("a confirm of a HELD reservation", ConfirmAnswer::confirmed);
  confirm("a repeated confirm for the same payment", ConfirmAnswer::confirmed);
  confirm("a confirm for another payment of a CONFIRMED reservation", ConfirmAnswer::refused);
  confirm("a confirm of a reservation whose hold lapsed", ConfirmAnswer::refused);
  confirm("a confirm of a CANCELLED reservation", ConfirmAnswer::refused);
  confirm("a confirm of an unknown reservation", ConfirmAnswer::refused);

  // A request outside the pact gets the stub's bare 404, which the client must not take for a
  // refusal: this is what makes a drifting client fail the checks above.
  CHECK(client.confirm(4242, "not-in-the-pact") == ConfirmAnswer::unreachable);

  CHECK(coverage.missing() == std::set<std::string>{});
}
