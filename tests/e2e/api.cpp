#include "api.hpp"

#include <stdexcept>
#include <thread>
#include <vector>

#include "support/dates.hpp"
#include "support/json.hpp"

namespace e2e {
namespace {

using test_support::exchange;
using test_support::lowercase;

std::string describe(std::string_view method, std::string_view target, const Reply& reply) {
  return std::string(method) + " " + std::string(target) + " answered " +
         std::to_string(reply.status) + " " + reply.body.substr(0, 2000);
}

// A body sent with Transfer-Encoding: chunked, unframed (raw_http reads the bytes as they come).
void unchunk(Reply& reply) {
  const auto encoding = reply.header("Transfer-Encoding");
  if (!encoding || lowercase(*encoding).find("chunked") == std::string::npos) return;
  std::string body;
  std::size_t at = 0;
  for (;;) {
    const auto line_end = reply.body.find("\r\n", at);
    if (line_end == std::string::npos) break;
    const auto size = std::stoul(reply.body.substr(at, line_end - at), nullptr, 16);
    if (size == 0) break;
    body.append(reply.body, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  reply.body = std::move(body);
}

// What Prism reported in `sl-violations`, split by the side of the exchange it is about.
struct Violations {
  std::vector<std::string> request;
  std::vector<std::string> response;
  bool route_documented = true;  // false: Prism found no operation, so it checked nothing
};

Violations violations_in(const Reply& reply) {
  Violations found;
  const auto header = reply.header("sl-violations");
  if (!header) return found;
  const auto list = test_support::parse_json(*header);
  for (const auto& entry : list.GetArray()) {
    const auto& location = entry["location"].GetArray();
    const std::string side = location.Empty() ? "" : location[0].GetString();
    std::string text = std::string(entry["severity"].GetString()) + " at";
    for (const auto& part : location) text += std::string(" ") + part.GetString();
    text += ": " + std::string(entry["message"].GetString());
    if (side == "response") {
      found.response.push_back(text);
    } else {
      found.request.push_back(text);
      if (text.find("Selected route not found") != std::string::npos) {
        found.route_documented = false;
      }
    }
  }
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

// The gateway puts X-Request-Id on every answer; an answer without it was made up by Prism
// (a violation with --errors, its own 400 for malformed JSON, ...), not the system under test.
void require_from_gateway(std::string_view method, std::string_view target, const Reply& reply) {
  if (!reply.header("X-Request-Id")) {
    throw std::runtime_error("Prism answered itself, not the gateway: " +
                             describe(method, target, reply));
  }
}

}  // namespace

Reply Api::send(std::string_view method, std::string_view target, std::string_view body,
                const Headers& headers) const {
  auto reply = exchange(rejecting_prism_port_, method, target, body, for_the_system(headers));
  unchunk(reply);
  const auto violations = violations_in(reply);
  if (!violations.request.empty() || !violations.response.empty()) {
    throw std::runtime_error(
        "the exchange does not match public.openapi.yaml:" + joined(violations.request) +
        joined(violations.response) + "\n" + describe(method, target, reply));
  }
  require_from_gateway(method, target, reply);
  return reply;
}

Reply Api::send_violating(std::string_view method, std::string_view target, std::string_view body,
                          const Headers& headers) const {
  auto reply = exchange(reporting_prism_port_, method, target, body, for_the_system(headers));
  unchunk(reply);
  const auto violations = violations_in(reply);
  if (!violations.route_documented) {
    throw std::runtime_error("the document has no such operation, so Prism checks nothing: " +
                             describe(method, target, reply) + " (use send_to_gateway)");
  }
  if (violations.request.empty()) {
    throw std::runtime_error("the request is valid per the document (use send): " +
                             describe(method, target, reply));
  }
  if (!violations.response.empty()) {
    throw std::runtime_error("the answer does not match public.openapi.yaml:" +
                             joined(violations.response) + "\n" + describe(method, target, reply));
  }
  require_from_gateway(method, target, reply);
  return reply;
}

Reply Api::send_to_gateway(std::string_view method, std::string_view target, std::string_view body,
                           const Headers& headers) const {
  auto reply = exchange(gateway_port_, method, target, body, for_the_system(headers));
  unchunk(reply);
  return reply;
}

Reply Api::send_bytes_to_gateway(const std::string& request) const {
  auto reply = test_support::exchange_raw(gateway_port_, request);
  unchunk(reply);
  return reply;
}

std::string Api::date_in_days(int days) const {
  return test_support::date_in_days(tenancy_.first_day + days);
}

void Api::wait_for_replicas() const { std::this_thread::sleep_for(tenancy_.replica_lag); }

Headers Api::for_the_system(const Headers& headers) const {
  Headers out = headers;
  for (auto& [name, value] : out) {
    if (lowercase(name) == "x-admin-key" && value == test_support::kTestAdminKey) {
      value = tenancy_.admin_key;
    }
  }
  return out;
}

namespace {

test_support::Transport checked_by_prism(const Api& api) {
  return test_support::through_gateway(
      [&api](std::string_view method, std::string_view target, std::string_view body,
             const Headers& headers) { return api.send(method, target, body, headers); });
}

}  // namespace

test_support::QueueClient queue_api(const Api& api) {
  return test_support::QueueClient(checked_by_prism(api));
}

test_support::ConcertClient concert_api(const Api& api) {
  return test_support::ConcertClient(checked_by_prism(api));
}

test_support::PaymentClient payment_api(const Api& api) {
  return test_support::PaymentClient(checked_by_prism(api));
}

int header_count(const Reply& reply, std::string_view name) {
  const auto wanted = lowercase(name);
  int count = 0;
  for (const auto& header : reply.headers) count += lowercase(header.first) == wanted ? 1 : 0;
  return count;
}

}  // namespace e2e
