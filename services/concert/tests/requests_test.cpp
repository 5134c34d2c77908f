#include "adapters/http/requests.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "status_and_code.hpp"

using namespace concert;
using namespace concert::http;

namespace {

// The refusal as sent, "<status> <code>", or "accepted".
template <class T>
std::string refusal(const Parsed<T>& parsed) {
  return parsed ? "accepted" : ticketing::http::test::status_and_code(parsed.error());
}

}  // namespace

TEST_CASE("A new concert takes a title, a price and distinct dates") {
  auto concert =
      parse_new_concert(R"({"title":"Gala","price":150000,"dates":["2026-12-24","2026-12-25"]})");
  REQUIRE(concert);
  CHECK(concert.value().title == "Gala");
  CHECK(concert.value().price == 150000);
  REQUIRE(concert.value().dates.size() == 2);
  CHECK(concert.value().dates[1].text() == "2026-12-25");
}

TEST_CASE("A new concert refuses bad titles, prices and dates with their codes") {
  CHECK(refusal(parse_new_concert(R"({"title":"","price":1,"dates":["2026-12-24"]})")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(R"({"title":")" + std::string(201, 't') +
                                  R"(","price":1,"dates":["2026-12-24"]})")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":0,"dates":["2026-12-24"]})")) ==
        "400 INVALID_REQUEST");
  CHECK(
      refusal(parse_new_concert(R"({"title":"Gala","price":1000000001,"dates":["2026-12-24"]})")) ==
      "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":"1","dates":["2026-12-24"]})")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":1,"dates":[]})")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(
            R"({"title":"Gala","price":1,"dates":["2026-12-24","2026-12-24"]})")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":1,"dates":["2026-02-30"]})")) ==
        "400 INVALID_DATE");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":1,"dates":"2026-12-24"})")) ==
        "400 INVALID_DATE");
  CHECK(refusal(parse_new_concert(R"({"title":"Gala","price":1})")) == "400 INVALID_DATE");
  CHECK(refusal(parse_new_concert(
            R"({"title":"Gala","price":1,"dates":["2026-12-24"],"venue":"x"})")) ==
        "400 INVALID_REQUEST");
}

TEST_CASE("A hold takes a date and a seat number 1..50 for its user") {
  auto hold = parse_reserve_seat(R"({"date":"2026-12-24","seatNo":50})", "user-1");
  REQUIRE(hold);
  CHECK(hold.value().user_id == "user-1");
  CHECK(hold.value().date.text() == "2026-12-24");
  CHECK(hold.value().seat_no == 50);
  CHECK(parse_reserve_seat(R"({"date":"2026-12-24","seatNo":1})", "u").value().seat_no == 1);
}

TEST_CASE("A hold refuses bad dates, seats and shapes with their codes") {
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-13-01","seatNo":1})", "u")) ==
        "400 INVALID_DATE");
  CHECK(refusal(parse_reserve_seat(R"({"date":20261224,"seatNo":1})", "u")) == "400 INVALID_DATE");
  CHECK(refusal(parse_reserve_seat(R"({"seatNo":1})", "u")) == "400 INVALID_DATE");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24","seatNo":0})", "u")) ==
        "400 INVALID_SEAT");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24","seatNo":51})", "u")) ==
        "400 INVALID_SEAT");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24","seatNo":"7"})", "u")) ==
        "400 INVALID_SEAT");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24"})", "u")) == "400 INVALID_SEAT");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24","seatNo":1,"row":2})", "u")) ==
        "400 INVALID_REQUEST");
  CHECK(refusal(parse_reserve_seat(R"({"date":"2026-12-24",)", "u")) == "400 INVALID_REQUEST");
}

TEST_CASE("A confirmation takes a paymentId of 1 to 255 visible ASCII characters") {
  CHECK(parse_confirm(R"({"paymentId":"pay-1"})").value() == "pay-1");
  CHECK(parse_payment_id(std::string(255, 'p')).value().size() == 255);
  CHECK(refusal(parse_confirm(R"({"paymentId":""})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_confirm(R"({"paymentId":"a b"})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_confirm(R"({"paymentId":5})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_confirm("{}")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_confirm(R"({"paymentId":"p","extra":1})")) == "400 INVALID_REQUEST");
  CHECK(refusal(parse_payment_id(std::string(256, 'p'))) == "400 INVALID_REQUEST");
}

TEST_CASE("Path dates and reservation ids are checked") {
  CHECK(parse_date("2028-02-29").value().text() == "2028-02-29");
  CHECK(refusal(parse_date("2027-02-29")) == "400 INVALID_DATE");
  CHECK(refusal(parse_date("24-12-2026")) == "400 INVALID_DATE");

  CHECK(parse_reservation_id("1").value() == 1);
  CHECK(parse_reservation_id("999999999999999999").value() == 999999999999999999);
  for (const char* bad : {"", "0", "007", "-1", "1a", "1234567890123456789"}) {
    CHECK(refusal(parse_reservation_id(bad)) == "400 INVALID_REQUEST");
  }
}
