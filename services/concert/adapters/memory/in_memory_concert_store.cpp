#include "in_memory_concert_store.hpp"

#include <algorithm>

#include "domain/rules.hpp"

namespace concert {

ticketing::Result<CreatedConcert, ConcertError> InMemoryConcertStore::create(
    const NewConcert& concert) {
  std::lock_guard lock(mutex_);
  for (const auto& date : concert.dates) {
    if (performances_.contains(date.days())) return ticketing::fail(ConcertError::date_taken);
  }
  CreatedConcert created{next_concert_id_++, concert.title, concert.price, concert.dates};
  std::sort(created.dates.begin(), created.dates.end());
  for (const auto& date : created.dates) {
    Performance performance{
        date, created.concert_id, concert.title, {}, std::vector<std::int64_t>(kSeatsPerDate, 0)};
    for (int seat_no = 1; seat_no <= kSeatsPerDate; ++seat_no) {
      performance.seats.push_back({seat_no, concert.price, SeatStatus::available, std::nullopt});
    }
    performances_.emplace(date.days(), std::move(performance));
  }
  return created;
}

std::vector<DateSummary> InMemoryConcertStore::dates_from(const CalendarDate& first,
                                                          TimePoint now) {
  std::lock_guard lock(mutex_);
  std::vector<DateSummary> dates;
  for (auto it = performances_.lower_bound(first.days()); it != performances_.end(); ++it) {
    const auto available =
        std::count_if(it->second.seats.begin(), it->second.seats.end(),
                      [&](const Seat& s) { return status_at(s, now) == SeatStatus::available; });
    if (available > 0) {
      dates.push_back(
          {it->second.date, it->second.concert_id, it->second.title, static_cast<int>(available)});
    }
  }
  return dates;
}

SeatCounts InMemoryConcertStore::seat_counts_from(const CalendarDate& first, TimePoint now) {
  std::lock_guard lock(mutex_);
  SeatCounts counts;
  for (auto it = performances_.lower_bound(first.days()); it != performances_.end(); ++it) {
    for (const auto& seat : it->second.seats) {
      const auto status = status_at(seat, now);
      if (status == SeatStatus::available) ++counts.available;
      if (status == SeatStatus::held) ++counts.held;
    }
  }
  return counts;
}

void InMemoryConcertStore::seat_map(const CalendarDate& date, SeatMapCallback done) {
  std::optional<SeatMap> map;
  {
    std::lock_guard lock(mutex_);
    auto it = performances_.find(date.days());
    if (it != performances_.end())
      map = SeatMap{date, it->second.concert_id, it->second.title, it->second.seats};
  }
  done(ticketing::Completed<std::optional<SeatMap>>::with(std::move(map)));
}

void InMemoryConcertStore::hold(const HoldRequest& request, HoldCallback done) {
  done(ticketing::Completed<HoldOutcome>::with(hold_now(request)));
}

HoldOutcome InMemoryConcertStore::hold_now(const HoldRequest& request) {
  std::lock_guard lock(mutex_);
  auto it = performances_.find(request.date.days());
  if (it == performances_.end()) return ticketing::fail(ConcertError::date_not_found);
  const auto held_or_owned =
      std::count_if(reservations_.begin(), reservations_.end(), [&](const auto& entry) {
        const auto& r = entry.second;
        return r.user_id == request.user_id && r.date == request.date &&
               counts_toward_limit(r, request.now);
      });
  if (seat_limit_reached(held_or_owned, request.max_seats_per_user)) {
    return ticketing::fail(ConcertError::seat_limit_reached);
  }
  const auto index = static_cast<std::size_t>(request.seat_no - 1);
  auto& seat = it->second.seats[index];
  if (status_at(seat, request.now) != SeatStatus::available) {
    return ticketing::fail(ConcertError::seat_unavailable);
  }
  if (auto previous = it->second.held_by[index]; previous != 0) {
    end_hold(reservations_.at(previous), ReservationStatus::expired);  // a lapsed hold
  }
  Reservation reservation{next_reservation_id_++,
                          request.user_id,
                          it->second.concert_id,
                          request.date,
                          request.seat_no,
                          seat.price,
                          ReservationStatus::held,
                          request.now + request.hold_ttl,
                          std::nullopt};
  seat.status = SeatStatus::held;
  seat.hold_expires_at = reservation.expires_at;
  it->second.held_by[index] = reservation.id;
  reservations_.emplace(reservation.id, reservation);
  return reservation;
}

void InMemoryConcertStore::end_hold(Reservation& reservation, ReservationStatus status) {
  reservation.status = status;
  auto& performance = performances_.at(reservation.date.days());
  const auto index = static_cast<std::size_t>(reservation.seat_no - 1);
  if (performance.held_by[index] == reservation.id) {
    performance.held_by[index] = 0;
    performance.seats[index].status = SeatStatus::available;
    performance.seats[index].hold_expires_at.reset();
  }
}

std::optional<Reservation> InMemoryConcertStore::find(std::int64_t reservation_id) {
  std::lock_guard lock(mutex_);
  auto it = reservations_.find(reservation_id);
  if (it == reservations_.end()) return std::nullopt;
  return it->second;
}

std::optional<Reservation> InMemoryConcertStore::find_by_payment(std::string_view payment_id) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, reservation] : reservations_) {
    if (reservation.payment_id == payment_id) return reservation;
  }
  return std::nullopt;
}

ticketing::Result<Reservation, ConcertError> InMemoryConcertStore::cancel(
    std::int64_t reservation_id, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = reservations_.find(reservation_id);
  if (it == reservations_.end()) return ticketing::fail(ConcertError::reservation_not_found);
  const auto decision = decide_cancel(it->second, now);
  if (auto refused = refusal_of(decision)) return ticketing::fail(*refused);
  if (decision == CancelDecision::release) {
    end_hold(it->second, ReservationStatus::cancelled);
  } else if (it->second.status == ReservationStatus::held) {
    end_hold(it->second, ReservationStatus::expired);
  }
  return it->second;
}

ticketing::Result<Reservation, ConcertError> InMemoryConcertStore::confirm(
    std::int64_t reservation_id, std::string_view payment_id, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = reservations_.find(reservation_id);
  if (it == reservations_.end()) return ticketing::fail(ConcertError::reservation_not_found);
  auto& reservation = it->second;
  const auto decision = decide_confirm(reservation, payment_id, now);
  if (decision == ConfirmDecision::lapsed && reservation.status == ReservationStatus::held)
    end_hold(reservation, ReservationStatus::expired);
  if (auto refused = refusal_of(decision)) return ticketing::fail(*refused);
  if (decision == ConfirmDecision::already_done) return reservation;
  for (const auto& [id, other] : reservations_) {
    if (other.payment_id == payment_id) return ticketing::fail(ConcertError::already_confirmed);
  }
  auto& seat = performances_.at(reservation.date.days())
                   .seats[static_cast<std::size_t>(reservation.seat_no - 1)];
  seat.status = SeatStatus::sold;
  seat.hold_expires_at.reset();
  reservation.status = ReservationStatus::confirmed;
  reservation.payment_id = std::string(payment_id);
  return reservation;
}

SweepReport InMemoryConcertStore::sweep_lapsed(TimePoint now) {
  std::lock_guard lock(mutex_);
  SweepReport report;
  for (auto& [id, reservation] : reservations_) {
    if (reservation.status == ReservationStatus::held && reservation.expires_at <= now) {
      end_hold(reservation, ReservationStatus::expired);
      ++report.lapsed;
    }
  }
  return report;
}

}  // namespace concert
