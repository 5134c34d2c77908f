#pragma once

#include <cstdint>
#include <string>

#include "api.hpp"

namespace e2e {

// The steps of the spec's journey through the gateway, each through the typed clients of
// api.hpp (so checked by Prism) and asserted with REQUIRE: call them from the test's own thread
// only. Requests whose answer the test checks itself go through those clients directly.

struct Visitor {
  std::string token;
  std::string user_id;
  // Authorization: Bearer <token>
  Headers bearer() const { return {{"Authorization", "Bearer " + token}}; }
};

// A new visitor: POST /api/v1/queue/tokens {} mints a user and an ACTIVE token (201).
Visitor new_visitor(const Api& api);
// A known user's new ACTIVE token (201), after their last one ended.
Visitor returning_visitor(const Api& api, const std::string& user_id);
// A concert on the date `days_from_today` days into the test's range of dates (Api::date_in_days:
// from today on a system of its own), created through the admin API (201); returns the date.
std::string create_concert(const Api& api, int days_from_today, std::int64_t price);
// availableSeats of `date` in GET /api/v1/concerts/dates (200, and the date listed), read once
// the writes before it show in every replica (Api::wait_for_replicas), as seat_status is.
int available_seats(const Api& api, const Visitor& visitor, const std::string& date);
// Holds a seat (201 HELD); returns the reservation id.
std::int64_t hold_seat(const Api& api, const Visitor& visitor, const std::string& date,
                       int seat_no);
// The status of one seat in the seat map of `date` (AVAILABLE, HELD or SOLD).
std::string seat_status(const Api& api, const Visitor& visitor, const std::string& date,
                        int seat_no);
// Charges points (200); returns the new balance.
std::int64_t charge(const Api& api, const std::string& user_id, std::int64_t amount);
std::int64_t balance_of(const Api& api, const std::string& user_id);

}  // namespace e2e
