#pragma once

#include <optional>
#include <string>

#include "payment.hpp"

namespace payment {

// What the concert service says of a reservation before the payment charges anything.
enum class HoldState { held, confirmed, expired, cancelled };

struct ReservationView {
  std::int64_t reservation_id = 0;
  std::string user_id;
  std::int64_t price = 0;
  HoldState state = HoldState::held;  // as of now: a lapsed hold is expired
  std::optional<std::string> payment_id;
};

// Step 2 of the saga: may `user_id` pay for this reservation? nullopt: yes, for its price.
// Another user's reservation reads as not found; a paid one as already paid; a lapsed or
// cancelled one as expired (410).
std::optional<PaymentError> check_payable(const ReservationView& reservation,
                                          std::string_view user_id);

// The concert service's answer to "confirm this reservation for this payment".
enum class ConfirmAnswer {
  confirmed,    // now or before, for this payment: the seat is SOLD for it
  refused,      // lapsed, cancelled or confirmed for another payment: it never will be
  unreachable,  // no answer (down, timeout): the outcome is unknown, ask again later
};

// Step 5: what the payment becomes.
enum class SagaStep { complete, refund, retry_later };
SagaStep next_step(ConfirmAnswer answer);

}  // namespace payment
