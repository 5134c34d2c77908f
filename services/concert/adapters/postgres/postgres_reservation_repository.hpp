#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "application/ports/reservation_repository.hpp"
#include "ticketing/batcher.hpp"
#include "ticketing/db/pool.hpp"

namespace concert {

// Reservations and seat holds in PostgreSQL (schema concert; statements in statements.cpp).
// A hold is one conditional UPDATE of its seat's row, so concurrent holds of one seat have
// exactly one winner and holds of different seats never wait for each other's rows; a user's own
// holds of one date are serialised by an advisory lock so that their limit holds. Holds are
// gathered into batches of one statement and one commit (migration 004's hold_seats): while a
// batch runs, the holds that arrive form the next one.
class PostgresReservationRepository final : public ReservationRepository {
 public:
  static constexpr std::int64_t kDefaultSweepBatch = 1000;
  static constexpr std::size_t kMaxHoldBatch = 64;

  explicit PostgresReservationRepository(ticketing::db::Pool& pool,
                                         std::int64_t sweep_batch = kDefaultSweepBatch);

  void hold(const HoldRequest& request, HoldCallback done) override;
  std::optional<Reservation> find(std::int64_t reservation_id) override;
  std::optional<Reservation> find_by_payment(std::string_view payment_id) override;
  ticketing::Result<Reservation, ConcertError> cancel(std::int64_t reservation_id,
                                                      TimePoint now) override;
  ticketing::Result<Reservation, ConcertError> confirm(std::int64_t reservation_id,
                                                       std::string_view payment_id,
                                                       TimePoint now) override;
  SweepReport sweep_lapsed(TimePoint now) override;

 private:
  std::vector<HoldOutcome> hold_batch(const std::vector<HoldRequest>& requests);

  ticketing::db::Pool& pool_;
  std::int64_t sweep_batch_;
  ticketing::Batcher<HoldRequest, HoldOutcome> holds_;  // last: stops first
};

}  // namespace concert
