// The payment service's client of the concert service, against a fake concert service.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_peer.hpp"

using namespace std::chrono_literals;
using namespace payment::testing;

TEST_CASE("concert read: a 200 becomes the reservation view", "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1",
                 json_response(200, reservation_json(1, "HELD", "")));
  concert.script("/internal/v1/reservations/2",
                 json_response(200, reservation_json(2, "CONFIRMED", kPayment)));
  concert.script("/internal/v1/reservations/3",
                 json_response(200, reservation_json(3, "EXPIRED", "")));
  concert.script("/internal/v1/reservations/4",
                 json_response(200, reservation_json(4, "CANCELLED", "")));
  payment::HttpConcertClient client(concert.options(), [] { return std::string("req-42"); });

  const auto held = client.read(1);
  REQUIRE(held);
  CHECK(held->reservation_id == 1);
  CHECK(held->user_id == "user-1");
  CHECK(held->price == 90000);
  CHECK(held->state == HoldState::held);
  CHECK_FALSE(held->payment_id);

  const auto confirmed = client.read(2);
  REQUIRE(confirmed);
  CHECK(confirmed->state == HoldState::confirmed);
  CHECK(confirmed->payment_id == kPayment);
  CHECK(client.read(3)->state == HoldState::expired);
  CHECK(client.read(4)->state == HoldState::cancelled);

  const auto sent = concert.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].method == Method::get);
  CHECK(sent[0].request_id == "req-42");
}

TEST_CASE("concert read: 404 RESERVATION_NOT_FOUND is no reservation", "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/9",
                 problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours"));
  payment::HttpConcertClient client(concert.options());
  CHECK_FALSE(client.read(9));
  // Ids the concert service cannot hold are not asked about.
  CHECK_FALSE(client.read(0));
  CHECK_FALSE(client.read(-5));
  CHECK_FALSE(client.read(1'000'000'000'000'000'000));
  const auto sent = concert.requests();
  REQUIRE(sent.size() == 1);
  CHECK_FALSE(sent[0].request_id);  // no request id source: none sent
}

TEST_CASE("concert read: answers outside the contract are DependencyUnavailable",
          "[clients][concert]") {
  auto concert = fake_concert();
  const auto body_for = [](std::string_view replace, std::string_view with) {
    auto body = reservation_json(5, "HELD", "");
    body.replace(body.find(replace), replace.size(), with);
    return body;
  };
  const std::vector<std::pair<std::string, Response>> broken = {
      {"500", problem(500, "INTERNAL_ERROR", "boom")},
      {"503", problem(503, "SERVICE_UNAVAILABLE", "database down")},
      {"404 from a missing route", problem(404, "NOT_FOUND", "no route")},
      {"not JSON", json_response(200, "{\"reservationId\":5,")},
      {"an array", json_response(200, "[]")},
      {"empty", json_response(200, "")},
      {"trailing garbage", json_response(200, reservation_json(5, "HELD", "") + "x")},
      {"price as a string", json_response(200, body_for("\"price\":90000", "\"price\":\"90000\""))},
      {"price as a fraction", json_response(200, body_for("\"price\":90000", "\"price\":900.5"))},
      {"no userId", json_response(200, body_for("\"userId\":\"user-1\",", ""))},
      {"userId a number", json_response(200, body_for("\"userId\":\"user-1\"", "\"userId\":1"))},
      {"unknown status", json_response(200, reservation_json(5, "SOLD", ""))},
      {"paymentId a number", json_response(200, body_for("\"paymentId\":null", "\"paymentId\":3"))},
      {"another reservation", json_response(200, reservation_json(6, "HELD", ""))},
      {"204", ticketing::http::empty_response(204)},
  };
  payment::HttpConcertClient client(concert.options());
  for (const auto& [what, response] : broken) {
    INFO(what);
    concert.script("/internal/v1/reservations/5", response);
    CHECK_THROWS_AS(client.read(5), DependencyUnavailable);
  }
  concert.script("/internal/v1/reservations/5",
                 json_response(200, body_for("\"price\":90000", "\"price\":\"x\"")));
  CHECK_THROWS_WITH(client.read(5), Catch::Contains("malformed") && Catch::Contains("price"));
  concert.script("/internal/v1/reservations/5", problem(500, "INTERNAL_ERROR", "boom"));
  CHECK_THROWS_WITH(client.read(5), Catch::Contains("HTTP 500"));
}

TEST_CASE("concert read: a closed port or a timeout is DependencyUnavailable",
          "[clients][concert]") {
  payment::HttpConcertClient closed(closed_port_options());
  CHECK_THROWS_AS(closed.read(1), DependencyUnavailable);

  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1", json_response(200, reservation_json(1, "HELD", "")),
                 800ms);
  payment::HttpConcertClient client(concert.options(200ms));
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(client.read(1), Catch::Contains("timed out"));
  CHECK(std::chrono::steady_clock::now() - start < 700ms);
}

TEST_CASE("concert confirm: 200 is confirmed, and the body names the payment",
          "[clients][concert]") {
  auto concert = fake_concert();
  concert.script("/internal/v1/reservations/1/confirm",
                 json_response(200, reservation_json(1, "CONFIRMED", kPayment)));
  payment::HttpConcertClient client(concert.options(), [] { return std::string("req-7"); });
  CHECK(client.confirm(1, kPayment) == ConfirmAnswer::confirmed);

  const auto sent = concert.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == Method::post);
  CHECK(sent[0].path == "/internal/v1/reservations/1/confirm");
  CHECK(sent[0].request_id == "req-7");
  rapidjson::Document body;
  body.Parse(sent[0].body.data(), sent[0].body.size());
  REQUIRE_FALSE(body.HasParseError());
  REQUIRE(body.IsObject());
  CHECK(body.MemberCount() == 1);
  REQUIRE(body.HasMember("paymentId"));
  REQUIRE(body["paymentId"].IsString());
  CHECK(std::string(body["paymentId"].GetString()) == kPayment);
}

TEST_CASE("concert confirm: a payment id is sent JSON-escaped", "[clients][concert]") {
  auto concert = fake_concert();
  const std::string odd = "pay\"\\1";
  concert.script("/internal/v1/reservations/1/confirm",
                 json_response(200, reservation_json(1, "CONFIRMED", "pay\\\"\\\\1")));
  payment::HttpConcertClient client(concert.options());
  CHECK(client.confirm(1, odd) == ConfirmAnswer::confirmed);
  rapidjson::Document body;
  body.Parse(concert.requests().at(0).body.c_str());
  REQUIRE(body.IsObject());
  CHECK(std::string(body["paymentId"].GetString()) == odd);
}

TEST_CASE("concert confirm: the documented refusals are refused", "[clients][concert]") {
  auto concert = fake_concert();
  payment::HttpConcertClient client(concert.options());
  const std::vector<Response> refusals = {
      problem(410, "RESERVATION_EXPIRED", "the hold lapsed"),
      problem(409, "RESERVATION_CANCELLED", "the reservation was cancelled"),
      problem(409, "ALREADY_CONFIRMED", "the reservation was confirmed for another payment"),
      problem(404, "RESERVATION_NOT_FOUND", "no such reservation of yours"),
  };
  for (const auto& response : refusals) {
    INFO(response.body);
    concert.script("/internal/v1/reservations/3/confirm", response);
    CHECK(client.confirm(3, kPayment) == ConfirmAnswer::refused);
  }
  // An id the concert service cannot hold is never confirmed; nothing is asked.
  CHECK(client.confirm(0, kPayment) == ConfirmAnswer::refused);
  CHECK(concert.requests().size() == refusals.size());
}

TEST_CASE("concert confirm: anything else is unreachable, never a throw", "[clients][concert]") {
  auto concert = fake_concert();
  payment::HttpConcertClient client(concert.options());
  const std::vector<std::pair<std::string, Response>> unknown = {
      {"500", problem(500, "INTERNAL_ERROR", "boom")},
      {"503", problem(503, "SERVICE_UNAVAILABLE", "database down")},
      {"404 from a missing route", problem(404, "NOT_FOUND", "no route")},
      {"409 without a code", json_response(409, "{}")},
      {"410 not JSON", json_response(410, "gone")},
      {"400",
       problem(400, "INVALID_REQUEST", "'paymentId' must be 1 to 255 visible ASCII characters")},
      {"200 not JSON", json_response(200, "OK")},
      {"200 of another payment", json_response(200, reservation_json(3, "CONFIRMED", "other"))},
      {"200 still held", json_response(200, reservation_json(3, "HELD", ""))},
      {"200 price a string",
       json_response(
           200,
           R"({"reservationId":3,"userId":"u","price":"1","status":"CONFIRMED","paymentId":")" +
               kPayment + "\"}")},
  };
  for (const auto& [what, response] : unknown) {
    INFO(what);
    concert.script("/internal/v1/reservations/3/confirm", response);
    CHECK(client.confirm(3, kPayment) == ConfirmAnswer::unreachable);
  }

  payment::HttpConcertClient closed(closed_port_options());
  CHECK(closed.confirm(3, kPayment) == ConfirmAnswer::unreachable);

  concert.script("/internal/v1/reservations/3/confirm",
                 json_response(200, reservation_json(3, "CONFIRMED", kPayment)), 800ms);
  payment::HttpConcertClient impatient(concert.options(200ms));
  const auto start = std::chrono::steady_clock::now();
  CHECK(impatient.confirm(3, kPayment) == ConfirmAnswer::unreachable);
  CHECK(std::chrono::steady_clock::now() - start < 700ms);
}
