#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "json.hpp"
#include "ticketing/http/client.hpp"

namespace test_support {

// Small calls on the queue's API for tests that care about behaviour, not the wire. They throw
// on failure instead of asserting, so they are safe on racing threads (see race.hpp).
struct IssuedToken {
  int status;
  std::string token;
  std::string user_id;
  std::string state;  // WAITING or ACTIVE
  // 0 when ACTIVE, >= 1 while WAITING; nullopt before the opening's draw (product-spec.md,
  // "Sale day").
  std::optional<std::int64_t> position;
};

inline ticketing::http::ClientResponse call(ticketing::http::Client& client,
                                            ticketing::http::Method method,
                                            const std::string& target, const std::string& body = {},
                                            ticketing::http::HeaderList headers = {}) {
  auto response = client.send(method, target, body, {}, std::move(headers));
  if (!response.ok()) {
    throw std::runtime_error(target + ": " + std::string(describe(response.error())));
  }
  return response.value();
}

inline IssuedToken issue_token(ticketing::http::Client& client, const std::string& body = "{}") {
  auto response = call(client, ticketing::http::Method::post, "/api/v1/queue/tokens", body);
  if (response.status != 201 && response.status != 200) {
    throw std::runtime_error("issue answered " + std::to_string(response.status) + ": " +
                             response.body);
  }
  auto json = parse_json(response.body);
  const auto& position = json["position"];
  return {response.status, json["token"].GetString(), json["userId"].GetString(),
          json["status"].GetString(),
          position.IsNull() ? std::nullopt : std::optional<std::int64_t>(position.GetInt64())};
}

inline ticketing::http::ClientResponse poll_token(ticketing::http::Client& client,
                                                  const std::string& token) {
  return call(client, ticketing::http::Method::get, "/api/v1/queue/tokens/me", {},
              {{"Authorization", "Bearer " + token}});
}

inline void expire_token(ticketing::http::Client& client, const std::string& token) {
  auto response =
      call(client, ticketing::http::Method::post, "/internal/v1/tokens/" + token + "/expire");
  if (response.status != 204) {
    throw std::runtime_error("expire answered " + std::to_string(response.status));
  }
}

}  // namespace test_support
