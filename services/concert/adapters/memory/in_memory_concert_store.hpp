#pragma once

#include <map>
#include <mutex>

#include "application/ports/catalog.hpp"
#include "application/ports/reservation_repository.hpp"

namespace concert {

// Concerts, seats and reservations in process memory behind one mutex: the reference behaviour
// of the ports for use-case tests.
class InMemoryConcertStore final : public Catalog, public ReservationRepository {
 public:
  ticketing::Result<CreatedConcert, ConcertError> create(const NewConcert& concert) override;
  std::vector<DateSummary> dates_from(const CalendarDate& first, TimePoint now) override;
  SeatCounts seat_counts_from(const CalendarDate& first, TimePoint now) override;
  void seat_map(const CalendarDate& date, SeatMapCallback done) override;

  // Answers at once, on the calling thread.
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
  struct Performance {
    CalendarDate date;
    std::int64_t concert_id;
    std::string title;
    std::vector<Seat> seats;
    std::vector<std::int64_t> held_by;  // per seat: reservation holding or owning it, 0 if none
  };
  HoldOutcome hold_now(const HoldRequest& request);
  void end_hold(Reservation& reservation, ReservationStatus status);

  std::mutex mutex_;
  std::int64_t next_concert_id_ = 1;
  std::int64_t next_reservation_id_ = 1;
  std::map<int, Performance> performances_;  // by CalendarDate::days()
  std::map<std::int64_t, Reservation> reservations_;
};

}  // namespace concert
