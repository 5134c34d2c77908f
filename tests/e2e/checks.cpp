#include "checks.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/json.hpp"

namespace e2e {
void require_status(const test_support::Reply& reply, int status) {
  INFO("body: " << reply.body);
  REQUIRE(reply.status == status);
}

rapidjson::Document json_of(const test_support::Reply& reply) {
  rapidjson::Document document;
  document.Parse(reply.body.c_str(), reply.body.size());
  INFO("body: " << reply.body);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

}  // namespace e2e
