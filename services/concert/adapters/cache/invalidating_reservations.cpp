#include "invalidating_reservations.hpp"

#include <optional>

namespace concert {

template <class Write>
auto InvalidatingReservations::invalidating_all_on_failure(Write&& write) {
  try {
    return write();
  } catch (...) {
    cache_.invalidate_all();
    throw;
  }
}

void InvalidatingReservations::hold(const HoldRequest& request, HoldCallback done) {
  inner_.hold(request, [this, date = request.date, done = std::move(done)](auto held) {
    std::optional<HoldOutcome> outcome;
    try {
      outcome.emplace(std::move(held).get());
    } catch (...) {
      cache_.invalidate_all();
      return done(ticketing::Completed<HoldOutcome>::failed(std::current_exception()));
    }
    // Even a refusal: its client believed the seat free, likely from a map another replica's write
    // made stale, and should see the date as it is now.
    cache_.invalidate(date);
    done(ticketing::Completed<HoldOutcome>::with(std::move(*outcome)));
  });
}

ticketing::Result<Reservation, ConcertError> InvalidatingReservations::cancel(
    std::int64_t reservation_id, TimePoint now) {
  auto cancelled = invalidating_all_on_failure([&] { return inner_.cancel(reservation_id, now); });
  if (cancelled) cache_.invalidate(cancelled->date);
  return cancelled;
}

ticketing::Result<Reservation, ConcertError> InvalidatingReservations::confirm(
    std::int64_t reservation_id, std::string_view payment_id, TimePoint now) {
  auto confirmed =
      invalidating_all_on_failure([&] { return inner_.confirm(reservation_id, payment_id, now); });
  // Refusals change no seat a reader would see: a lapsed hold already reads AVAILABLE.
  if (confirmed) cache_.invalidate(confirmed->date);
  return confirmed;
}

SweepReport InvalidatingReservations::sweep_lapsed(TimePoint now) {
  auto report = invalidating_all_on_failure([&] { return inner_.sweep_lapsed(now); });
  // Lapsed holds already read AVAILABLE; dropping every map keeps the kept rows plain anyway.
  if (report.lapsed > 0) cache_.invalidate_all();
  return report;
}

}  // namespace concert
