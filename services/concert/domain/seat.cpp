#include "seat.hpp"

namespace concert {

std::string_view to_string(SeatStatus status) {
  switch (status) {
    case SeatStatus::available:
      return "AVAILABLE";
    case SeatStatus::held:
      return "HELD";
    case SeatStatus::sold:
      return "SOLD";
  }
  return "AVAILABLE";
}

SeatStatus status_at(const Seat& seat, TimePoint now) {
  if (seat.status == SeatStatus::held && seat.hold_expires_at && *seat.hold_expires_at <= now) {
    return SeatStatus::available;
  }
  return seat.status;
}

}  // namespace concert
