#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "raw_http.hpp"

namespace test_support {

// Shape checks of the concert service's answers (proto-docs/public.openapi.yaml and the internal
// document): members, types and the spec's rules, with Catch2 REQUIRE/CHECK; each returns what
// it read.

// Every date has seats 1 to 50.
inline constexpr int kSeatsPerDate = 50;

struct ReservationView {
  std::int64_t id = 0;
  std::int64_t concert_id = 0;
  std::string date;
  std::int64_t seat_no = 0;
  std::int64_t price = -1;
  std::string status;
  std::string expires_at;
  std::optional<std::string> user_id;     // internal view only
  std::optional<std::string> payment_id;  // internal view only (null until confirmed)
};

// A reservation answered with `status`; the internal view adds userId and paymentId, the public
// one must not.
ReservationView require_reservation(const Reply& reply, int status, bool internal = false);

struct SeatMap {
  std::int64_t concert_id = 0;
  std::string title;
  std::map<std::int64_t, std::string> status;  // seatNo -> AVAILABLE, HELD or SOLD
  std::map<std::int64_t, std::int64_t> price;
};

// The seat map of `date` answered with 200: seats 1 to 50 in order.
SeatMap require_seat_map(const Reply& reply, const std::string& date);

struct DateEntry {
  std::string date;
  std::int64_t concert_id = 0;
  std::string title;
  std::int64_t available = -1;
};

// The bookable dates answered with 200: from today (UTC) on, some seat available, ascending.
std::vector<DateEntry> require_dates(const Reply& reply);

std::optional<DateEntry> find_date(const std::vector<DateEntry>& dates, const std::string& date);

}  // namespace test_support
