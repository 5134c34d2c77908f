#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/clients/peer.hpp"
#include "application/ports/remote_services.hpp"
#include "ticketing/http/client.hpp"
#include "ticketing/log/logger.hpp"

namespace payment {

// ReservationService over the concert service's internal API:
//   GET  /internal/v1/reservations/{id}          -> the reservation, or 404 RESERVATION_NOT_FOUND
//   POST /internal/v1/reservations/{id}/confirm  {"paymentId"} -> 200, or 410/409/404 refusals
// Thread-safe (the HTTP client pools its connections).
class HttpConcertClient final : public ReservationService {
 public:
  // `logger` (optional, must outlive the client) gets a warning for each unreachable confirm,
  // whose reason the ConfirmAnswer cannot carry.
  explicit HttpConcertClient(ticketing::http::ClientOptions options,
                             RequestIdSource request_id = {},
                             const ticketing::log::Logger* logger = nullptr);

  // Throws ticketing::DependencyUnavailable when the concert service cannot be asked or gives
  // an answer outside its contract (5xx, malformed body, a field missing or of a wrong type).
  std::optional<ReservationView> read(std::int64_t reservation_id) override;
  ConfirmAnswer confirm(std::int64_t reservation_id, std::string_view payment_id) override;

 private:
  ticketing::http::Client client_;
  RequestIdSource request_id_;
  const ticketing::log::Logger* logger_;
};

// The concert's reservation JSON as the saga sees it; an error text when the body breaks the
// contract. Exposed for tests.
struct ParsedReservation {
  std::optional<ReservationView> view;
  std::string error;
};
ParsedReservation parse_reservation(std::string_view body);

}  // namespace payment
