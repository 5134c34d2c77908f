// The trust boundary (issue 19): a service answers only the gateway and its peers, which know
// INTERNAL_API_KEY. Straight to a service, a forged X-User-Id or an internal call without the key
// is 401 INTERNAL_KEY_INVALID and changes nothing; the gateway sends the key itself and never
// passes a client's on; a service does not start without a usable key.
#include <catch2/catch.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/dates.hpp"
#include "support/gateway_process.hpp"
#include "support/json.hpp"
#include "support/raw_http.hpp"
#include "support/stack.hpp"
#include "system.hpp"
#include "ticketing/http/response.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/log/logger.hpp"

namespace {

using test_support::kTestInternalKey;
using ticketing::http::Client;
using ticketing::http::ClientResponse;
using ticketing::http::Method;

const std::string kWrongKey = "not-the-internal-key-0123456789";

// A client straight to a service that sends no key (a caller on the network, not a peer).
Client unkeyed(std::uint16_t port) {
  auto options = test_support::loopback_options(port);
  options.headers.clear();
  return Client(options);
}

ClientResponse send(Client& client, Method method, const std::string& target,
                    const std::string& body = {}, ticketing::http::HeaderList headers = {}) {
  auto reply = client.send(method, target, body, {}, std::move(headers));
  if (!reply.ok()) FAIL(target << ": " << describe(reply.error()));
  return reply.value();
}

void require_refused(const ClientResponse& reply) {
  INFO(reply.body);
  REQUIRE(reply.status == 401);
  CHECK(reply.content_type == "application/problem+json");
  CHECK(test_support::parse_json(reply.body)["code"].GetString() ==
        std::string("INTERNAL_KEY_INVALID"));
}

std::string reservation_status(test_support::Stack& stack, std::int64_t id,
                               const std::string& user) {
  auto concert = stack.concert.process->client();
  const auto reply = send(concert, Method::get, "/api/v1/reservations/" + std::to_string(id), {},
                          {{"X-User-Id", user}});
  REQUIRE(reply.status == 200);
  return test_support::parse_json(reply.body)["status"].GetString();
}

}  // namespace

TEST_CASE("straight to a service, only a caller with the internal key is answered", "[trust][own-system]") {
  e2e::require_own_system();
  test_support::Stack stack;
  const auto date = stack.concert_on(test_support::date_in_days(3), 5000);
  const auto visitor = stack.visitor();
  auto concert = unkeyed(stack.concert.process->port());
  auto queue = unkeyed(stack.queue.process->port());
  auto payment = unkeyed(stack.payment->process->port());

  // A forged user: whoever reaches the port could hold seats and pay as anyone.
  require_refused(send(concert, Method::post, "/api/v1/reservations",
                       R"({"date":")" + date + R"(","seatNo":1})",
                       {{"X-User-Id", visitor.user_id}}));
  require_refused(send(payment, Method::post, "/api/v1/users/" + visitor.user_id + "/points/charge",
                       R"({"amount":1000})"));
  require_refused(send(concert, Method::post, "/api/v1/reservations",
                       R"({"date":")" + date + R"(","seatNo":1})",
                       {{"X-User-Id", visitor.user_id}, {"X-Internal-Key", kWrongKey}}));
  CHECK(stack.balance(visitor.user_id) == 0);

  // A direct internal call: confirming a hold without paying for it.
  const auto held = stack.hold(visitor.user_id, date, 2);
  const std::string confirm = "/internal/v1/reservations/" + std::to_string(held) + "/confirm";
  const std::string body = R"({"paymentId":"0b6f5a1e-2c3d-4e5f-8a9b-1c2d3e4f5a02"})";
  require_refused(send(concert, Method::post, confirm, body));
  require_refused(send(concert, Method::post, confirm, body, {{"X-Internal-Key", kWrongKey}}));
  require_refused(send(concert, Method::post, confirm, body,
                       {{"X-Internal-Key", std::string(kTestInternalKey) + "x"}}));
  require_refused(send(queue, Method::get, "/internal/v1/users/" + visitor.user_id));
  require_refused(send(queue, Method::post, "/internal/v1/tokens/" + visitor.token + "/expire"));
  CHECK(reservation_status(stack, held, visitor.user_id) == "HELD");
  // Refused before routing: an unknown route or method says nothing about what exists.
  require_refused(send(concert, Method::get, "/internal/v1/no-such-route"));
  require_refused(send(queue, Method::del, "/api/v1/queue/tokens"));

  // With the key (the payment service's or the gateway's) the same calls work.
  auto keyed_queue = stack.queue.process->client();
  CHECK(send(keyed_queue, Method::get, "/internal/v1/users/" + visitor.user_id).status == 200);
  auto keyed_concert = stack.concert.process->client();
  CHECK(send(keyed_concert, Method::post, confirm, body).status == 200);
  CHECK(reservation_status(stack, held, visitor.user_id) == "CONFIRMED");

  // The probes and the metrics answer anyone: they act on nothing.
  for (auto* client : {&concert, &queue, &payment}) {
    for (const char* open : {"/healthz", "/readyz", "/metrics"}) {
      INFO(open);
      CHECK(send(*client, Method::get, open).status == 200);
    }
  }
}

TEST_CASE("the payment service sends the key to its peers, and the gateway to every service",
          "[trust][own-system]") {
  e2e::require_own_system();
  test_support::Stack stack;
  const auto date = stack.concert_on(test_support::date_in_days(4), 3000);
  test_support::GatewayProcess gateway({.queue_port = stack.queue.process->port(),
                                        .concert_port = stack.concert.process->port(),
                                        .payment_port = stack.payment->process->port()});
  auto client = gateway.client();  // sends no key, as the public's clients do
  const auto visitor = test_support::issue_token(client);
  REQUIRE(visitor.state == "ACTIVE");
  const auto bearer = ticketing::http::HeaderList{{"Authorization", "Bearer " + visitor.token}};

  // Token check, hold, charge, pay (payment -> concert, payment -> queue): all need the key.
  const auto hold = send(client, Method::post, "/api/v1/reservations",
                         R"({"date":")" + date + R"(","seatNo":3})", bearer);
  REQUIRE(hold.status == 201);
  REQUIRE(send(client, Method::post, "/api/v1/users/" + visitor.user_id + "/points/charge",
               R"({"amount":5000})")
              .status == 200);
  const auto reservation = test_support::parse_json(hold.body)["reservationId"].GetInt64();
  const auto paid = send(client, Method::post, "/api/v1/payments",
                         R"({"reservationId":)" + std::to_string(reservation) + "}", bearer);
  INFO(paid.body);
  CHECK(paid.status == 201);
  CHECK(stack.balance(visitor.user_id) == 2000);

  // A client that knows the key gains nothing: internal routes stay unreachable.
  const ticketing::http::HeaderList with_key{{"X-Internal-Key", kTestInternalKey}};
  CHECK(send(client, Method::get, "/internal/v1/users/" + visitor.user_id, {}, with_key).status ==
        404);
  CHECK(send(client, Method::get, "/metrics", {}, with_key).status == 404);
}

namespace {

// Stands in for all three services behind the gateway and records the X-Internal-Key headers
// of every request it gets (the token check included).
class KeyRecorder {
 public:
  KeyRecorder() : logger_("recorder", ticketing::log::Level::error) {
    ticketing::http::Router router;
    const auto record = [this](const ticketing::http::Request& request) {
      std::vector<std::string> keys;
      for (const auto& [name, value] : request.headers) {
        if (test_support::lowercase(name) == "x-internal-key") keys.push_back(value);
      }
      std::lock_guard lock(mutex_);
      seen_.push_back({request.path, keys});
      auto response = ticketing::http::json_response(200, R"({"ok":true})");
      response.headers.emplace_back("X-User-Id", "0b5e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b");
      return response;
    };
    router.add(Method::get, "/internal/v1/tokens/verify", record);
    router.add(Method::get, "/api/v1/concerts/dates", record);
    router.add(Method::get, "/api/v1/users/{userId}/points", record);
    ticketing::http::ServerOptions options;
    options.service_name = "recorder";
    server_ = std::make_unique<ticketing::http::Server>(options, std::move(router), logger_);
    thread_ = std::thread([this] { server_->run(); });
  }
  ~KeyRecorder() {
    server_->stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_->port(); }
  std::vector<std::pair<std::string, std::vector<std::string>>> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  ticketing::log::Logger logger_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::vector<std::string>>> seen_;
  std::unique_ptr<ticketing::http::Server> server_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("the gateway replaces a client's X-Internal-Key with its own", "[trust][own-system]") {
  e2e::require_own_system();
  KeyRecorder services;
  test_support::GatewayProcess gateway({.queue_port = services.port(),
                                        .concert_port = services.port(),
                                        .payment_port = services.port()});
  auto client = gateway.client();
  const std::string user = "0b5e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
  for (const auto& forged : std::vector<ticketing::http::HeaderList>{
           {},
           {{"X-Internal-Key", kWrongKey}},
           {{"x-internal-key", kWrongKey}, {"X-Internal-Key", kTestInternalKey}}}) {
    auto headers = forged;
    headers.emplace_back("Authorization", "Bearer 5537f87515e80eb8547d30524266f843");
    CHECK(send(client, Method::get, "/api/v1/concerts/dates", {}, headers).status == 200);
    CHECK(send(client, Method::get, "/api/v1/users/" + user + "/points", {}, forged).status == 200);
  }
  const auto seen = services.seen();
  // Per request: the token check and the concert call, then the user route.
  REQUIRE(seen.size() == 9);
  for (const auto& [path, keys] : seen) {
    INFO(path);
    CHECK(keys == std::vector<std::string>{kTestInternalKey});
  }
}

TEST_CASE("a service does not start without a usable internal key", "[trust][own-system]") {
  e2e::require_own_system();
  for (const auto& [key, message] : std::vector<std::pair<std::string, std::string>>{
           {"", "INTERNAL_API_KEY is required"},
           {"fifteen-chars-x", "INTERNAL_API_KEY must be at least 16 characters"},
           {"sixteen chars ok", "INTERNAL_API_KEY must be at least 16 characters"}}) {
    for (const char* binary :
         {QUEUE_SERVICE_BINARY, CONCERT_SERVICE_BINARY, PAYMENT_SERVICE_BINARY}) {
      INFO(binary << " with INTERNAL_API_KEY='" << key << "'");
      test_support::ChildProcess service({binary},
                                         {{"INTERNAL_API_KEY", key},
                                          {"PORT", std::to_string(test_support::free_port())},
                                          {"DATABASE_URL", "host=/nonexistent dbname=none"}});
      CHECK(service.wait_or_kill(std::chrono::seconds(20)) == 2);  // a configuration error
      const auto output = service.output();
      CHECK(output.find(message) != std::string::npos);
      if (!key.empty()) CHECK(output.find(key) == std::string::npos);  // never echoed
    }
  }
}
