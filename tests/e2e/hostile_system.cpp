#include "hostile_system.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <sstream>

#include "support/api_checks.hpp"
#include "support/raw_connection.hpp"

namespace e2e {
namespace {

using test_support::Environment;

// Every hostile request ends its connection: waiting longer means something hangs.
constexpr std::chrono::milliseconds kAnswerTimeout{5000};

const Environment kAccessLogOn{{"ACCESS_LOG", "1"}};

Environment with_access_log(Environment settings) {
  settings.insert(settings.end(), kAccessLogOn.begin(), kAccessLogOn.end());
  return settings;
}

// The values of a JSON-lines log's string `field` (e.g. "upstream_status"), one per line.
std::vector<std::string> field_values(const std::string& log, const std::string& field) {
  std::vector<std::string> values;
  const std::string key = "\"" + field + "\":";
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find(key);
    if (at == std::string::npos) continue;
    auto start = at + key.size();
    if (line[start] == '"') ++start;
    values.push_back(line.substr(start, line.find_first_of("\",}", start) - start));
  }
  return values;
}

// "502, 200" (a retried upstream) or "502 : 200" (a redirect) hold several statuses: any 5xx
// among them counts.
bool has_5xx(const std::string& statuses) {
  for (std::size_t at = 0; at < statuses.size(); ++at) {
    const bool starts_number =
        at == 0 || std::isdigit(static_cast<unsigned char>(statuses[at - 1])) == 0;
    if (starts_number && statuses[at] == '5') return true;
  }
  return false;
}

// The series of a service's request counter that answered 5xx.
std::vector<std::string> server_error_series(std::uint16_t port) {
  const auto metrics = test_support::exchange(port, "GET", "/metrics");
  REQUIRE(metrics.status == 200);
  std::vector<std::string> series;
  std::istringstream lines(metrics.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("http_requests_total{", 0) == 0 && line.find("status=\"5") != std::string::npos)
      series.push_back(line);
  }
  return series;
}

}  // namespace

HostileSystem::HostileSystem()
    : queue(with_access_log({{"QUEUE_CAPACITY", "100000"}})),
      concert(kAccessLogOn),
      payment(queue.process->port(), concert.process->port(), kAccessLogOn),
      gateway({queue.process->port(), concert.process->port(), payment.process->port(), 0}) {}

std::vector<Target> HostileSystem::service_targets() const {
  return {{"queue service", queue.process->port()},
          {"concert service", concert.process->port()},
          {"payment service", payment.process->port()}};
}

std::vector<Target> HostileSystem::all_targets() const {
  auto targets = service_targets();
  targets.insert(targets.begin(), gateway_target());
  return targets;
}

std::vector<std::string> HostileSystem::service_outputs() const {
  return {queue.process->output(), concert.process->output(), payment.process->output()};
}

test_support::IssuedToken HostileSystem::visitor() {
  auto client = queue.process->client();
  auto issued = test_support::issue_token(client);
  if (issued.state != "ACTIVE") throw std::runtime_error("visitor not admitted at once");
  return issued;
}

Exchange HostileSystem::send_alone(std::uint16_t port, const std::string& bytes) {
  ++tried_;
  test_support::RawConnection connection(port);
  connection.send(bytes);  // the peer may refuse early and stop reading: its answer still counts
  Exchange exchange;
  exchange.replies = connection.read_replies(SIZE_MAX, kAnswerTimeout);
  exchange.closed = connection.closed_within(std::chrono::milliseconds(0));
  return exchange;
}

void require_unharmed(HostileSystem& system, std::string_view test_name) {
  for (const auto& target : system.service_targets()) {
    INFO(target.name);
    CHECK(test_support::exchange(target.port, "GET", "/healthz").status == 200);
    CHECK(server_error_series(target.port).empty());
  }
  CHECK(test_support::exchange(system.gateway.port(), "GET", "/healthz").status == 200);

  const auto access_log = system.gateway.access_log();
  for (const auto& statuses : field_values(access_log, "upstream_status")) {
    INFO("upstream_status " << statuses);
    CHECK_FALSE(has_5xx(statuses));
  }
  for (const auto& status : field_values(access_log, "status")) {
    INFO("gateway status " << status);
    CHECK(status.rfind('5', 0) == std::string::npos);
  }
  for (const auto& output : system.service_outputs()) {
    CHECK(output.find(kSmuggledPath) == std::string::npos);
  }

  std::cout << system.tried() << " hostile requests tried in '" << test_name << "'" << std::endl;
}

void require_client_error(const test_support::Reply& reply) {
  INFO("got " << reply.status << ", Content-Type '" << reply.content_type()
              << "', body: " << reply.body.substr(0, 300));
  const bool client_error = reply.status >= 400 && reply.status <= 499;
  CHECK(client_error);
  if (!client_error) return;  // the other answers of a loop still get checked
  rapidjson::Document strict;
  strict.Parse<rapidjson::kParseValidateEncodingFlag>(reply.body.c_str(), reply.body.size());
  INFO("JSON: " << rapidjson::GetParseError_En(strict.GetParseError()));
  CHECK_FALSE(strict.HasParseError());
  test_support::require_problem(reply, reply.status, test_support::problem_code(reply));
}

}  // namespace e2e
