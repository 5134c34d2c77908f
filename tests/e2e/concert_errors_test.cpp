// Dates, seats and holds: every public error code of the concert routes, through the gateway.
// Requests the document allows go through the Prism with --errors (Api::send); those it forbids
// (a malformed date in the path, seatNo out of range, unknown fields, a bad reservation id)
// through the reporting Prism, which still checks the answer (Api::send_violating).
#include <catch2/catch.hpp>
#include <string>

#include "checks.hpp"
#include "steps.hpp"
#include "system.hpp"

namespace e2e {
namespace {

std::string hold_body(const std::string& date, const std::string& seat_no) {
  return R"({"date":")" + date + R"(","seatNo":)" + seat_no + "}";
}

TEST_CASE("Dates, seats and holds answer the spec's codes through the gateway", "[e2e]") {
  System system;
  const Api& api = system.api;
  const auto date = create_concert(api, 4, 50000);
  const auto no_concert = api.date_in_days(40);
  const auto owner = new_visitor(api);
  const auto other = new_visitor(api);

  // DATE_NOT_FOUND and INVALID_DATE, on the seat map and on a hold.
  require_problem(concert_api(api).list_seats(owner, no_concert), 404, "DATE_NOT_FOUND");
  require_problem(
      api.send_violating("GET", "/api/v1/concerts/dates/2026-13-45/seats", {}, owner.bearer()), 400,
      "INVALID_DATE");
  require_problem(concert_api(api).reserve_raw(owner, hold_body(no_concert, "1")), 404,
                  "DATE_NOT_FOUND");
  require_problem(api.send_violating("POST", "/api/v1/reservations", hold_body("24-12-2026", "1"),
                                     owner.bearer()),
                  400, "INVALID_DATE");

  // INVALID_SEAT: not an integer from 1 to 50, or missing.
  for (const char* seat_no : {"0", "51", "7.5", "\"7\""}) {
    INFO("seatNo " << seat_no);
    require_problem(api.send_violating("POST", "/api/v1/reservations", hold_body(date, seat_no),
                                       owner.bearer()),
                    400, "INVALID_SEAT");
  }
  require_problem(api.send_violating("POST", "/api/v1/reservations",
                                     R"({"date":")" + date + R"("})", owner.bearer()),
                  400, "INVALID_SEAT");
  // INVALID_REQUEST: an unknown field.
  require_problem(
      api.send_violating("POST", "/api/v1/reservations",
                         R"({"date":")" + date + R"(","seatNo":1,"extra":true})", owner.bearer()),
      400, "INVALID_REQUEST");

  // SEAT_UNAVAILABLE: the seat is HELD by someone else.
  const auto held = hold_seat(api, owner, date, 1);
  require_problem(concert_api(api).reserve_raw(other, hold_body(date, "1")), 409,
                  "SEAT_UNAVAILABLE");

  // SEAT_LIMIT_REACHED: MAX_SEATS_PER_USER is 4.
  for (int seat_no = 2; seat_no <= 4; ++seat_no) hold_seat(api, owner, date, seat_no);
  require_problem(concert_api(api).reserve_raw(owner, hold_body(date, "5")), 409,
                  "SEAT_LIMIT_REACHED");

  // RESERVATION_NOT_FOUND: another user's reservation reads as unknown, read or released.
  const auto concert = concert_api(api);
  require_problem(concert.reservation(other, held), 404, "RESERVATION_NOT_FOUND");
  require_problem(concert.cancel(other, held), 404, "RESERVATION_NOT_FOUND");
  require_problem(concert.reservation(owner, 999999), 404, "RESERVATION_NOT_FOUND");
  // A reservation id that is not a positive integer.
  require_problem(api.send_violating("GET", "/api/v1/reservations/abc", {}, owner.bearer()), 400,
                  "INVALID_REQUEST");

  // Its owner releases it (204): the seat is AVAILABLE again and someone else may take it.
  const auto released = concert.cancel(owner, held);
  require_status(released, 204);
  CHECK(seat_status(api, other, date, 1) == "AVAILABLE");
  hold_seat(api, other, date, 1);
}

}  // namespace
}  // namespace e2e
