#include "adapters/http/requests.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "adapters/http/errors.hpp"
#include "status_and_code.hpp"

using namespace queue;
using namespace queue::http;

namespace {

// A parser's refusal as the handler answers it: 400 INVALID_REQUEST with the message.
void check_refused(const std::string& message, const std::string& mentions) {
  CHECK(ticketing::http::test::status_and_code(invalid_request(message)) == "400 INVALID_REQUEST");
  CHECK(message.find(mentions) != std::string::npos);
}

}  // namespace

TEST_CASE("Issuing a token takes an empty body, {} or a userId string") {
  CHECK_FALSE(parse_issue_token("").value().user_id.has_value());
  CHECK_FALSE(parse_issue_token("{}").value().user_id.has_value());
  CHECK_FALSE(parse_issue_token(R"({"userId":null})").value().user_id.has_value());
  CHECK(parse_issue_token(R"({"userId":"u-1"})").value().user_id == "u-1");
}

TEST_CASE("Issuing a token refuses wrong types, unknown fields and malformed JSON") {
  auto wrong_type = parse_issue_token(R"({"userId":7})");
  REQUIRE_FALSE(wrong_type);
  check_refused(wrong_type.error(), "userId");

  auto unknown = parse_issue_token(R"({"userId":"u-1","name":"x"})");
  REQUIRE_FALSE(unknown);
  check_refused(unknown.error(), "name");

  auto malformed = parse_issue_token(R"({"userId":)");
  REQUIRE_FALSE(malformed);
  check_refused(malformed.error(), "malformed");

  auto not_object = parse_issue_token("[]");
  REQUIRE_FALSE(not_object);
  check_refused(not_object.error(), "object");
}

TEST_CASE("Updating the line takes capacity 0..kMaxCapacity and paused, each optional") {
  auto both = parse_update_line(R"({"capacity":0,"paused":true})");
  REQUIRE(both);
  CHECK(both.value().capacity == 0);
  CHECK(both.value().paused == true);

  auto largest = parse_update_line(R"({"capacity":1000000})");
  REQUIRE(largest);
  CHECK(largest.value().capacity == kMaxCapacity);
  CHECK_FALSE(largest.value().paused.has_value());

  auto none = parse_update_line("{}");
  REQUIRE(none);
  CHECK_FALSE(none.value().capacity.has_value());
  CHECK_FALSE(none.value().paused.has_value());
}

TEST_CASE("Updating the line refuses out-of-range capacity, wrong types and unknown fields") {
  for (const char* body : {R"({"capacity":-1})", R"({"capacity":1000001})"}) {
    auto refused = parse_update_line(body);
    REQUIRE_FALSE(refused);
    check_refused(refused.error(), "'capacity' must be an integer from 0 to 1000000");
  }
  auto fraction = parse_update_line(R"({"capacity":1.5})");
  REQUIRE_FALSE(fraction);
  check_refused(fraction.error(), "capacity");

  auto text = parse_update_line(R"({"paused":"yes"})");
  REQUIRE_FALSE(text);
  check_refused(text.error(), "paused");

  auto unknown = parse_update_line(R"({"capacity":5,"ttl":60})");
  REQUIRE_FALSE(unknown);
  check_refused(unknown.error(), "ttl");

  auto empty = parse_update_line("");
  REQUIRE_FALSE(empty);
  check_refused(empty.error(), "");
}

TEST_CASE("Updating the line takes opensAt as RFC 3339 with any offset, or null to open now") {
  auto at = parse_update_line(R"({"opensAt":"2026-12-24T10:00:00.5+01:00"})");
  REQUIRE(at.ok());
  REQUIRE(at->opens_at);
  REQUIRE(*at->opens_at);
  CHECK(ticketing::format_rfc3339(**at->opens_at) == "2026-12-24T09:00:00.500Z");
  auto now = parse_update_line(R"({"opensAt":null})");
  REQUIRE(now.ok());
  REQUIRE(now->opens_at);
  CHECK_FALSE(*now->opens_at);
  auto absent = parse_update_line(R"({"paused":false})");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->opens_at);
}

TEST_CASE("Updating the line refuses an opensAt that is not an RFC 3339 date-time") {
  for (const char* body : {R"({"opensAt":"2026-12-24"})", R"({"opensAt":"2026-02-30T10:00:00Z"})",
                           R"({"opensAt":"2026-12-24T10:00:00"})", R"({"opensAt":12})",
                           R"({"opensAt":"2026-12-24T25:00:00Z"})"}) {
    INFO(body);
    CHECK_FALSE(parse_update_line(body).ok());
  }
}
