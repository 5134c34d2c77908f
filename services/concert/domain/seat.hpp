#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ticketing/time.hpp"

namespace concert {

using ticketing::TimePoint;

inline constexpr int kSeatsPerDate = 50;

// A seat number is 1..50.
inline bool is_valid_seat_no(std::int64_t seat_no) {
  return seat_no >= 1 && seat_no <= kSeatsPerDate;
}

enum class SeatStatus { available, held, sold };
std::string_view to_string(SeatStatus status);

// A seat as stored: a HELD seat carries its hold's expiry.
struct Seat {
  int seat_no = 0;
  std::int64_t price = 0;
  SeatStatus status = SeatStatus::available;
  std::optional<TimePoint> hold_expires_at;
};

// What the seat is at `now`: a hold past its expiry reads AVAILABLE at once, before any sweeper.
SeatStatus status_at(const Seat& seat, TimePoint now);

}  // namespace concert
