// Consumer side of the payment-service -> queue-service pact: the payment service's real queue
// client (HttpQueueClient: user lookup and token expiry) against `pact stub` serving the pact.
#include <catch2/catch.hpp>
#include <exception>
#include <set>
#include <string>

#include "adapters/clients/http_queue_client.hpp"
#include "pact_cli.hpp"
#include "pact_file.hpp"
#include "support/service_process.hpp"

namespace {

constexpr std::string_view kUsers = "/internal/v1/users/";
constexpr std::string_view kTokens = "/internal/v1/tokens/";

}  // namespace

TEST_CASE("payment-service queue client against the queue-service pact stub") {
  const contracts::PactFile pact("payment-service-queue-service");
  contracts::Coverage coverage(pact);
  const contracts::PactStub stub(pact.path());
  payment::HttpQueueClient client(test_support::loopback_options(stub.port()));

  // Points and payments go on only for a user the queue service knows.
  const auto user_exists = [&](std::string_view description, bool expected) {
    const auto user_id = contracts::segment_after(coverage.use(description).request_path(), kUsers);
    bool exists = !expected;
    try {
      exists = client.exists(user_id);
    } catch (const std::exception& error) {
      FAIL(description << ": " << error.what() << "\nstub log:\n" << stub.log());
    }
    INFO(description << "\nstub log:\n" << stub.log());
    CHECK(exists == expected);
  };
  user_exists("a lookup of a registered user", true);
  user_exists("a lookup of an unknown user", false);

  // Expiry is done (true) when the token is ended, was ended before or never existed; false
  // would make the payment service retry it forever.
  const auto expired = [&](std::string_view description) {
    const auto token = contracts::segment_after(coverage.use(description).request_path(), kTokens);
    const bool done = client.expire(token);
    INFO(description << "\nstub log:\n" << stub.log());
    CHECK(done);
  };
  expired("an expiry of an ACTIVE token");
  expired("a repeated expiry of an expired token");
  expired("an expiry of an unknown token");

  // The stub's bare 404 for a request outside the pact is neither an answer nor "not found".
  CHECK_FALSE(client.expire("00000000000000000000000000000000"));
  CHECK_THROWS(client.exists("00000000-0000-4000-8000-000000000000"));

  CHECK(coverage.missing() == std::set<std::string>{});
}
