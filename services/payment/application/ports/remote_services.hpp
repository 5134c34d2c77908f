#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/saga.hpp"

namespace payment {

// The concert service, as the payment saga needs it. Throws ticketing::DependencyUnavailable
// when it cannot be asked (read), never for confirm (that answers unreachable instead).
class ReservationService {
 public:
  virtual ~ReservationService() = default;
  virtual std::optional<ReservationView> read(std::int64_t reservation_id) = 0;
  // Idempotent by payment id.
  virtual ConfirmAnswer confirm(std::int64_t reservation_id, std::string_view payment_id) = 0;
};

// The queue service: who the users are, and ending a token once its holder has paid.
class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  // Throws ticketing::DependencyUnavailable when the queue service cannot be asked.
  virtual bool exists(std::string_view user_id) = 0;
};

class QueueTokens {
 public:
  virtual ~QueueTokens() = default;
  // True once the token is expired (also when it already was, or is unknown); false when the
  // queue service could not be reached and the expiry must be tried again.
  virtual bool expire(std::string_view token) = 0;
};

}  // namespace payment
