// Queue tokens, the gateway's token check and the admin API: every public error code they have,
// through the gateway. Answers to requests the document allows are checked by Prism with
// --errors (Api::send); requests the document forbids go through the reporting Prism
// (Api::send_violating), which still checks the answer; malformed JSON goes straight to the
// gateway (Prism would answer it itself) and is checked by require_problem.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"
#include "ticketing/ids.hpp"

namespace e2e {
namespace {

using namespace std::chrono_literals;

const Headers kAdmin{{"X-Admin-Key", kAdminKey}};

TEST_CASE("Token issue and the gateway's token check answer the spec's codes", "[e2e]") {
  System system;
  const Api& api = system.api;

  require_problem(queue_api(api).issue_token_for(ticketing::RandomIds::uuid_v4()), 404,
                  "USER_NOT_FOUND");
  require_problem(api.send_violating("POST", "/api/v1/queue/tokens", R"({"userId":"NOT-A-UUID"})"),
                  400, "INVALID_USER_ID");
  require_problem(api.send_violating("POST", "/api/v1/queue/tokens", R"({"userId":7})"), 400,
                  "INVALID_REQUEST");
  require_problem(api.send_violating("POST", "/api/v1/queue/tokens", R"({"name":"x"})"), 400,
                  "INVALID_REQUEST");
  require_problem(api.send_to_gateway("POST", "/api/v1/queue/tokens", R"({"userId":)"), 400,
                  "INVALID_REQUEST");

  // No, a malformed or an unknown token: 401 TOKEN_INVALID with one Bearer challenge. Without
  // Authorization the document's security requirement is not met: a request violation.
  const auto missing = api.send_violating("GET", "/api/v1/concerts/dates");
  require_problem(missing, 401, "TOKEN_INVALID");
  CHECK(header_count(missing, "WWW-Authenticate") == 1);
  CHECK(missing.header("WWW-Authenticate") == "Bearer");

  const auto malformed =
      api.send("GET", "/api/v1/concerts/dates", {}, {{"Authorization", "Bearer not-a-token!"}});
  require_problem(malformed, 401, "TOKEN_INVALID");
  CHECK(header_count(malformed, "WWW-Authenticate") == 1);
  CHECK(malformed.header("WWW-Authenticate") == "Bearer");

  const Headers unknown{{"Authorization", "Bearer " + std::string(32, '0')}};
  require_problem(api.send("POST", "/api/v1/payments", R"({"reservationId":1})", unknown), 401,
                  "TOKEN_INVALID");
  require_problem(api.send("GET", "/api/v1/queue/tokens/me", {}, unknown), 401, "TOKEN_INVALID");
}

TEST_CASE("A WAITING token is polled until admitted and is 403 TOKEN_NOT_ACTIVE until then",
          "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto control = queue_api(api).queue_control();
  require_status(control, 200);
  CHECK_FALSE(json_of(control)["paused"].GetBool());
  require_status(queue_api(api).update_queue_control(R"({"paused":true})"), 200);

  const auto issued = queue_api(api).issue_token();
  require_status(issued, 201);
  const auto waiting = json_of(issued);
  CHECK(std::string(waiting["status"].GetString()) == "WAITING");
  CHECK(waiting["position"].GetInt64() >= 1);
  CHECK(waiting["expiresAt"].IsNull());
  const Visitor visitor{waiting["token"].GetString(), waiting["userId"].GetString()};

  const auto poll = queue_api(api).poll(visitor.token);
  require_status(poll, 200);
  CHECK(std::string(json_of(poll)["status"].GetString()) == "WAITING");
  require_problem(concert_api(api).list_dates(visitor), 403, "TOKEN_NOT_ACTIVE");

  const auto resumed = queue_api(api).update_queue_control(R"({"paused":false})");
  require_status(resumed, 200);
  CHECK_FALSE(json_of(resumed)["paused"].GetBool());
  // Admission runs on the queue's timer (QUEUE_ADMIT_INTERVAL_MS, 1 s): poll until ACTIVE.
  std::string status = "WAITING";
  for (int polls = 0; polls < 100 && status == "WAITING"; ++polls) {
    std::this_thread::sleep_for(100ms);
    const auto next = queue_api(api).poll(visitor.token);
    require_status(next, 200);
    status = json_of(next)["status"].GetString();
  }
  REQUIRE(status == "ACTIVE");
  require_status(concert_api(api).list_dates(visitor), 200);
}

TEST_CASE("The admin API needs X-Admin-Key through the gateway", "[e2e]") {
  System system;
  const Api& api = system.api;
  const Headers wrong_key{{"X-Admin-Key", "not-the-key"}};

  // Without the header the document's security requirement is not met: a request violation.
  require_problem(api.send_violating("GET", "/api/v1/admin/queue"), 401, "ADMIN_KEY_INVALID");
  require_problem(queue_api(api).queue_control(wrong_key), 401, "ADMIN_KEY_INVALID");
  require_problem(queue_api(api).update_queue_control(R"({"paused":true})", wrong_key), 401,
                  "ADMIN_KEY_INVALID");
  require_problem(concert_api(api).create_concert_raw(R"({"title":"X","price":1,"dates":[")" +
                                                          api.date_in_days(5) + R"("]})",
                                                      wrong_key),
                  401, "ADMIN_KEY_INVALID");

  // With the key: the queue control, and concerts (DATE_TAKEN, INVALID_DATE, INVALID_REQUEST).
  require_problem(api.send_violating("PUT", "/api/v1/admin/queue", R"({"capacity":-1})", kAdmin),
                  400, "INVALID_REQUEST");
  const auto date = create_concert(api, 5, 1000);
  const auto taken = R"({"title":"Again","price":1000,"dates":[")" + date + R"("]})";
  require_problem(concert_api(api).create_concert_raw(taken), 409, "DATE_TAKEN");
  require_problem(concert_api(api).create_concert_raw(
                      R"({"title":"Past","price":1000,"dates":["2020-01-01"]})"),
                  400, "INVALID_DATE");
  require_problem(api.send_violating("POST", "/api/v1/admin/concerts",
                                     R"({"title":"","price":1000,"dates":["2030-01-01"]})", kAdmin),
                  400, "INVALID_REQUEST");
}

}  // namespace
}  // namespace e2e
