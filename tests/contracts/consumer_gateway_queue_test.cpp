// Consumer side of the gateway -> queue-service pact: the real nginx gateway (rendered from
// deploy/gateway/nginx.conf.template) with `pact stub` as its queue upstream. A client calls a
// queue-gated route with each interaction's Authorization; nginx's auth_request asks the stub's
// verify answer, and the test asserts what the client then gets: the request passed on with the
// verified user in X-User-Id, or the gateway's own problem+json refusal.
#include <catch2/catch.hpp>
#include <optional>
#include <set>
#include <string>

#include "echo_upstream.hpp"
#include "pact_cli.hpp"
#include "pact_file.hpp"
#include "support/gateway_process.hpp"
#include "support/json.hpp"
#include "support/raw_http.hpp"

namespace {

constexpr const char* kGatedRoute = "/api/v1/concerts/dates";

test_support::Reply ask(std::uint16_t gateway_port,
                        const std::optional<std::string>& authorization) {
  test_support::Headers headers;
  if (authorization) headers.emplace_back("Authorization", *authorization);
  // A client's own X-User-Id must never reach a service: the gateway overwrites it.
  headers.emplace_back("X-User-Id", "00000000-0000-4000-8000-00000000beef");
  return test_support::exchange(gateway_port, "GET", kGatedRoute, {}, headers);
}

std::string code_of(const test_support::Reply& reply) {
  const auto body = test_support::parse_json(reply.body);
  return body.HasMember("code") && body["code"].IsString() ? body["code"].GetString() : "";
}

}  // namespace

TEST_CASE("gateway token checks against the queue-service pact stub") {
  const contracts::PactFile pact("gateway-queue-service");
  contracts::Coverage coverage(pact);
  const contracts::PactStub stub(pact.path());
  const contracts::EchoUpstream upstream;
  const test_support::GatewayProcess gateway(
      {stub.port(), upstream.port(), upstream.port(), /*issue_rate_limit_per_ip=*/0});

  {
    const auto active = coverage.use("a token check of an ACTIVE token");
    const auto reply = ask(gateway.port(), active.request_header("Authorization"));
    INFO("stub log:\n" << stub.log() << "\nnginx error log:\n" << gateway.error_log());
    REQUIRE(reply.status == 200);
    // The service gets the user the token check named, not the client's own header.
    const std::string passed_user = test_support::parse_json(reply.body)["userId"].GetString();
    CHECK(passed_user == active.response_header("X-User-Id"));
  }
  const int passed_on = upstream.requests();

  // Every refusal is the gateway's own problem+json answer; the service never sees the request.
  const auto refused = [&](std::string_view description, int status, std::string_view code) {
    const auto interaction = coverage.use(description);
    const auto reply = ask(gateway.port(), interaction.request_header("Authorization"));
    INFO(description << "\nstub log:\n"
                     << stub.log() << "\nnginx error log:\n"
                     << gateway.error_log());
    CHECK(reply.status == status);
    CHECK(reply.content_type().rfind("application/problem+json", 0) == 0);
    CHECK(code_of(reply) == code);
    // A 401 tells the client how to authenticate: the queue's WWW-Authenticate, passed on.
    if (status == 401) CHECK(reply.header("WWW-Authenticate").value_or("").rfind("Bearer", 0) == 0);
  };
  refused("a token check of a WAITING token", 403, "TOKEN_NOT_ACTIVE");
  refused("a token check of an expired token", 401, "TOKEN_EXPIRED");
  refused("a token check of an unknown token", 401, "TOKEN_INVALID");
  refused("a token check of a malformed token", 401, "TOKEN_INVALID");
  refused("a token check without a token", 401, "TOKEN_INVALID");
  CHECK(upstream.requests() == passed_on);

  {
    // A payment's retry: its ended token is passed on, marked, for the payment service to judge.
    const auto ended = coverage.use("a payment's token check of a token that has ended");
    const auto reply =
        test_support::exchange(gateway.port(), "POST", "/api/v1/payments", R"({"reservationId":1})",
                               {{"Authorization", *ended.request_header("Authorization")},
                                {"X-Token-Ended", "forged"}});
    INFO("stub log:\n" << stub.log() << "\nnginx error log:\n" << gateway.error_log());
    REQUIRE(reply.status == 200);
    const auto passed = test_support::parse_json(reply.body);
    CHECK(passed["userId"].GetString() == ended.response_header("X-User-Id"));
    CHECK(std::string(passed["tokenEnded"].GetString()) == "true");
  }
  // Any other route checks without accepting ended tokens, and a client's own mark never passes.
  const auto active = coverage.use("a token check of an ACTIVE token");
  const auto gated = test_support::exchange(
      gateway.port(), "GET", kGatedRoute, {},
      {{"Authorization", *active.request_header("Authorization")}, {"X-Token-Ended", "true"}});
  REQUIRE(gated.status == 200);
  CHECK(std::string(test_support::parse_json(gated.body)["tokenEnded"].GetString()).empty());

  CHECK(coverage.missing() == std::set<std::string>{});
}
