#pragma once

#include <atomic>

#include "application/ports/seat_availability.hpp"
#include "ticketing/http/client.hpp"
#include "ticketing/log/logger.hpp"

namespace queue {

// SeatAvailability over the concert service's internal API:
//   GET /internal/v1/availability -> {"available": n, "held": n}
// Any failure (unreachable, timeout, 5xx, a body outside the contract) answers nullopt, so the
// line keeps admitting (fail open); the first failure of an outage and the recovery are logged.
class HttpSeatAvailability final : public SeatAvailability {
 public:
  // `logger` must outlive the client.
  HttpSeatAvailability(ticketing::http::ClientOptions options,
                       const ticketing::log::Logger& logger);

  std::optional<SeatCounts> counts() override;

 private:
  ticketing::http::Client client_;
  const ticketing::log::Logger& logger_;
  std::atomic<bool> failing_{false};
};

// {"available","held"} as the contract says (two integers >= 0), or nullopt. For tests.
std::optional<SeatCounts> parse_seat_counts(std::string_view body);

}  // namespace queue
