// Consumer side of the queue-service -> concert-service pact: the queue's real seat count client
// (HttpSeatAvailability, asked by every admission pass) against `pact stub` serving the pact.
// Every interaction is the same request, so the stub picks one by the provider state a test
// header names.
#include <catch2/catch.hpp>
#include <optional>
#include <set>
#include <string>

#include "adapters/clients/http_seat_availability.hpp"
#include "pact_cli.hpp"
#include "pact_file.hpp"
#include "support/service_process.hpp"

namespace {

constexpr const char* kStateHeader = "X-Pact-State";

// The client's counts when the stub plays `state`.
std::optional<queue::SeatCounts> counts_in(const contracts::PactStub& stub,
                                           const std::string& state) {
  auto options = test_support::loopback_options(stub.port());
  options.headers.emplace_back(kStateHeader, state);
  // A failure's warning would only clutter the test's output: the empty answer says enough.
  const ticketing::log::Logger logger("queue", ticketing::log::Level::error);
  queue::HttpSeatAvailability client(std::move(options), logger);
  return client.counts();
}

}  // namespace

TEST_CASE("queue-service seat count client against the concert-service pact stub") {
  const contracts::PactFile pact("queue-service-concert-service");
  contracts::Coverage coverage(pact);
  const contracts::PactStub stub(pact.path(), kStateHeader);

  // The client reads both counts as the concert service sent them; what the line does with
  // them (queue::sold_out, the admission pass) is the queue's own tested rule.
  const auto counted = [&](std::string_view description, bool expect_sold_out) {
    const auto interaction = coverage.use(description);
    const auto counts = counts_in(stub, interaction.provider_state());
    INFO(description << "\nstub log:\n" << stub.log());
    REQUIRE(counts.has_value());
    CHECK(counts->available == interaction.response_int("available"));
    CHECK(counts->held == interaction.response_int("held"));
    CHECK(queue::sold_out(*counts) == expect_sold_out);
  };
  counted("a count of the seats while some are left to sell", false);
  counted("a count of the seats while every one left is held", false);
  counted("a count of the seats once everything is sold", true);

  CHECK(coverage.missing() == std::set<std::string>{});
}
