#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "json.hpp"
#include "ticketing/http/client.hpp"

namespace test_support {

// Small calls on the queue's API for tests that care about behaviour, not the wire.
struct IssuedToken {
  int status;
  std::string token;
  std::string user_id;
  std::string state;  // WAITING or ACTIVE
  std::int64_t position;
};

inline IssuedToken issue_token(ticketing::http::Client& client, const std::string& body = "{}") {
  auto response = client.send(ticketing::http::Method::post, "/api/v1/queue/tokens", body);
  REQUIRE(response.ok());
  auto json = parse_json(response->body);
  REQUIRE((response->status == 201 || response->status == 200));
  return {response->status, json["token"].GetString(), json["userId"].GetString(),
          json["status"].GetString(), json["position"].GetInt64()};
}

inline ticketing::http::ClientResponse poll_token(ticketing::http::Client& client,
                                                  const std::string& token) {
  auto response = client.send(ticketing::http::Method::get, "/api/v1/queue/tokens/me", {}, {},
                              {{"Authorization", "Bearer " + token}});
  REQUIRE(response.ok());
  return response.value();
}

inline void expire_token(ticketing::http::Client& client, const std::string& token) {
  auto response =
      client.send(ticketing::http::Method::post, "/internal/v1/tokens/" + token + "/expire");
  REQUIRE(response.ok());
  REQUIRE(response->status == 204);
}

}  // namespace test_support
