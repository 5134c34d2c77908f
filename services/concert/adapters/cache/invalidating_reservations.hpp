#pragma once

#include "application/ports/reservation_repository.hpp"
#include "seat_map_cache.hpp"

namespace concert {

// A ReservationRepository that invalidates the seat maps its writes change, after `inner` has
// finished each write (committed or failed), so a read after the write never gets the old map
// from this process's SeatMapCache. A write whose outcome is unknown (an exception) invalidates
// every date.
class InvalidatingReservations final : public ReservationRepository {
 public:
  InvalidatingReservations(ReservationRepository& inner, SeatMapCache& cache)
      : inner_(inner), cache_(cache) {}

  void hold(const HoldRequest& request, HoldCallback done) override;
  std::optional<Reservation> find(std::int64_t reservation_id) override {
    return inner_.find(reservation_id);
  }
  std::optional<Reservation> find_by_payment(std::string_view payment_id) override {
    return inner_.find_by_payment(payment_id);
  }
  ticketing::Result<Reservation, ConcertError> cancel(std::int64_t reservation_id,
                                                      TimePoint now) override;
  ticketing::Result<Reservation, ConcertError> confirm(std::int64_t reservation_id,
                                                       std::string_view payment_id,
                                                       TimePoint now) override;
  SweepReport sweep_lapsed(TimePoint now) override;

 private:
  template <class Write>
  auto invalidating_all_on_failure(Write&& write);

  ReservationRepository& inner_;
  SeatMapCache& cache_;
};

}  // namespace concert
