#pragma once

#include <cstdint>

#include "application/ports/reservation_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace concert {

// Reservations and seat holds in PostgreSQL (schema concert; statements in statements.cpp).
// A hold is one conditional UPDATE of its seat's row, so concurrent holds of one seat have
// exactly one winner and holds of different seats never wait for each other; a user's own holds
// of one date are serialised by an advisory lock so that their limit holds.
class PostgresReservationRepository final : public ReservationRepository {
 public:
  static constexpr std::int64_t kDefaultSweepBatch = 1000;

  explicit PostgresReservationRepository(ticketing::db::Pool& pool,
                                         std::int64_t sweep_batch = kDefaultSweepBatch)
      : pool_(pool), sweep_batch_(sweep_batch) {}

  ticketing::Result<Reservation, ConcertError> hold(const HoldRequest& request) override;
  std::optional<Reservation> find(std::int64_t reservation_id) override;
  std::optional<Reservation> find_by_payment(std::string_view payment_id) override;
  ticketing::Result<Reservation, ConcertError> cancel(std::int64_t reservation_id,
                                                      TimePoint now) override;
  ticketing::Result<Reservation, ConcertError> confirm(std::int64_t reservation_id,
                                                       std::string_view payment_id,
                                                       TimePoint now) override;
  SweepReport sweep_lapsed(TimePoint now) override;

 private:
  ticketing::db::Pool& pool_;
  std::int64_t sweep_batch_;
};

}  // namespace concert
