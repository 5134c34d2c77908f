#include "rules.hpp"

namespace concert {

std::optional<ConcertError> refusal_of(CancelDecision decision) {
  if (decision == CancelDecision::paid) return ConcertError::already_paid;
  return std::nullopt;
}

std::optional<ConcertError> refusal_of(ConfirmDecision decision) {
  switch (decision) {
    case ConfirmDecision::confirm:
    case ConfirmDecision::already_done:
      return std::nullopt;
    case ConfirmDecision::lapsed:
      return ConcertError::reservation_expired;
    case ConfirmDecision::cancelled:
      return ConcertError::reservation_cancelled;
    case ConfirmDecision::taken_by_other_payment:
      return ConcertError::already_confirmed;
  }
  return ConcertError::reservation_expired;
}

}  // namespace concert
