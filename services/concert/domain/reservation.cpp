#include "reservation.hpp"

namespace concert {

std::string_view to_string(ReservationStatus status) {
  switch (status) {
    case ReservationStatus::held:
      return "HELD";
    case ReservationStatus::confirmed:
      return "CONFIRMED";
    case ReservationStatus::expired:
      return "EXPIRED";
    case ReservationStatus::cancelled:
      return "CANCELLED";
  }
  return "EXPIRED";
}

std::optional<ReservationStatus> reservation_status_from(std::string_view text) {
  if (text == "HELD") return ReservationStatus::held;
  if (text == "CONFIRMED") return ReservationStatus::confirmed;
  if (text == "EXPIRED") return ReservationStatus::expired;
  if (text == "CANCELLED") return ReservationStatus::cancelled;
  return std::nullopt;
}

ReservationStatus status_at(const Reservation& reservation, TimePoint now) {
  if (reservation.status == ReservationStatus::held && reservation.expires_at <= now) {
    return ReservationStatus::expired;
  }
  return reservation.status;
}

ConfirmDecision decide_confirm(const Reservation& reservation, std::string_view payment_id,
                               TimePoint now) {
  switch (status_at(reservation, now)) {
    case ReservationStatus::held:
      return ConfirmDecision::confirm;
    case ReservationStatus::confirmed:
      return reservation.payment_id == payment_id ? ConfirmDecision::already_done
                                                  : ConfirmDecision::taken_by_other_payment;
    case ReservationStatus::cancelled:
      return ConfirmDecision::cancelled;
    case ReservationStatus::expired:
      return ConfirmDecision::lapsed;
  }
  return ConfirmDecision::lapsed;
}

}  // namespace concert
