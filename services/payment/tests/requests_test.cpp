#include "adapters/http/requests.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "status_and_code.hpp"

using namespace payment::http;

namespace {

// The refusal as sent, "<status> <code>", or "accepted".
template <class T>
std::string refusal(const Parsed<T>& parsed) {
  return parsed ? "accepted" : ticketing::http::test::status_and_code(parsed.error());
}

Request with_query(std::string query) {
  Request request;
  request.query = std::move(query);
  return request;
}

Request with_user(std::string user_id) {
  Request request;
  request.params.emplace_back("userId", std::move(user_id));
  return request;
}

}  // namespace

TEST_CASE("A charge takes an integer amount and leaves its range to the use case") {
  CHECK(parse_charge(R"({"amount":5000})").value() == 5000);
  CHECK(parse_charge(R"({"amount":-3})").value() == -3);
  CHECK(refusal(parse_charge(R"({"amount":"5000"})")) == "400 INVALID_AMOUNT");
  CHECK(refusal(parse_charge(R"({"amount":1.5})")) == "400 INVALID_AMOUNT");
  CHECK(refusal(parse_charge("{}")) == "400 INVALID_AMOUNT");
  CHECK(refusal(parse_charge(R"({"amount":1,"currency":"KRW"})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_charge(R"({"amount":)")) == "400 INVALID_REQUEST");
}

TEST_CASE("A payment takes a positive integer reservationId") {
  CHECK(parse_pay(R"({"reservationId":42})").value() == 42);
  CHECK(refusal(parse_pay(R"({"reservationId":0})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_pay(R"({"reservationId":-1})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_pay(R"({"reservationId":"42"})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_pay("{}")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_pay(R"({"reservationId":42,"seat":1})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_pay("[42]")) == "400 INVALID_REQUEST");
}

TEST_CASE("The history limit is 1..100, 20 when absent") {
  CHECK(parse_history_limit(with_query("")).value() == 20);
  CHECK(parse_history_limit(with_query("limit=1")).value() == 1);
  CHECK(parse_history_limit(with_query("limit=100")).value() == 100);
  CHECK(parse_history_limit(with_query("limit=007")).value() == 7);
  for (const char* bad :
       {"limit=0", "limit=101", "limit=", "limit=-5", "limit=1e2", "limit=1000", "limit=%zz"}) {
    CHECK(refusal(parse_history_limit(with_query(bad))) == "400 INVALID_REQUEST");
  }
}

TEST_CASE("A path userId must be a canonical UUID") {
  const std::string user = "0b7e4c62-5a77-4d5c-9a3e-1f2b3c4d5e6f";
  CHECK(path_user(with_user(user)).value() == user);
  CHECK(refusal(path_user(with_user("0B7E4C62-5A77-4D5C-9A3E-1F2B3C4D5E6F"))) ==
        "400 INVALID_USER_ID");
  CHECK(refusal(path_user(with_user("not-a-uuid"))) == "400 INVALID_USER_ID");
  CHECK(refusal(path_user(with_user(""))) == "400 INVALID_USER_ID");
}
