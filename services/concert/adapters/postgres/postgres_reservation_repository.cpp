#include "postgres_reservation_repository.hpp"

#include <optional>
#include <pqxx/transaction>
#include <stdexcept>
#include <string>

#include "domain/rules.hpp"
#include "rows.hpp"
#include "statements.hpp"
#include "ticketing/db/errors.hpp"
#include "ticketing/ids.hpp"

namespace concert {

using Outcome = ticketing::Result<Reservation, ConcertError>;

namespace {

std::optional<Reservation> lock_reservation(pqxx::work& txn, std::int64_t reservation_id) {
  const auto rows = txn.exec_prepared("lock_reservation", reservation_id);
  if (rows.empty()) return std::nullopt;
  return sql::reservation_from(rows[0]);
}

// Ends a HELD reservation as `status` and frees its seat if the seat is still held by it.
void end_hold(pqxx::work& txn, Reservation& reservation, ReservationStatus status, TimePoint now) {
  txn.exec_prepared("end_hold", reservation.id, reservation.date.text(), reservation.seat_no,
                    std::string(to_string(status)), sql::micros(now));
  reservation.status = status;
}

// One hold_seats row (item, outcome, reservation id, price, concert id) as the request's outcome.
HoldOutcome hold_outcome(const HoldRequest& request, const pqxx::row& row) {
  const auto outcome = row[1].as<std::string>();
  if (outcome == "SEAT_LIMIT_REACHED") return ticketing::fail(ConcertError::seat_limit_reached);
  if (outcome == "SEAT_UNAVAILABLE") return ticketing::fail(ConcertError::seat_unavailable);
  if (outcome == "DATE_NOT_FOUND") return ticketing::fail(ConcertError::date_not_found);

  Reservation reservation;
  reservation.id = row[2].as<std::int64_t>();
  reservation.user_id = request.user_id;
  reservation.concert_id = row[4].as<std::int64_t>();
  reservation.date = request.date;
  reservation.seat_no = request.seat_no;
  reservation.price = row[3].as<std::int64_t>();
  reservation.status = ReservationStatus::held;
  // As stored: whole microseconds.
  reservation.expires_at = sql::from_micros(sql::micros(request.now + request.hold_ttl));
  return reservation;
}

}  // namespace

PostgresReservationRepository::PostgresReservationRepository(ticketing::db::Pool& pool,
                                                             std::int64_t sweep_batch)
    : pool_(pool),
      sweep_batch_(sweep_batch),
      holds_(kMaxHoldBatch, [this](const auto& requests) { return hold_batch(requests); }) {}

void PostgresReservationRepository::hold(const HoldRequest& request, HoldCallback done) {
  // A malformed id would fail the statement, and with it every hold of its batch.
  if (!ticketing::is_canonical_uuid(request.user_id)) {
    return done(ticketing::Completed<HoldOutcome>::failed(std::make_exception_ptr(
        std::invalid_argument("concert: a hold needs a canonical user id"))));
  }
  holds_.submit(request, std::move(done));
}

std::vector<HoldOutcome> PostgresReservationRepository::hold_batch(
    const std::vector<HoldRequest>& requests) {
  const sql::HoldArrays arrays(requests);
  // One statement in autocommit: the function runs the batch in one implicit transaction.
  const auto rows = pool_.execute([&](auto& txn) {
    return txn.exec_prepared("hold_seats", arrays.users, arrays.dates, arrays.seat_nos, arrays.nows,
                             arrays.expiries, arrays.limits);
  });
  std::vector<std::optional<HoldOutcome>> answers(requests.size());
  for (const auto& row : rows) {
    const auto item = row[0].as<std::size_t>() - 1;
    answers.at(item) = hold_outcome(requests[item], row);
  }
  std::vector<HoldOutcome> outcomes;
  outcomes.reserve(requests.size());
  for (auto& answer : answers) {
    if (!answer) throw std::logic_error("concert: hold_seats left a hold unanswered");
    outcomes.push_back(*std::move(answer));
  }
  return outcomes;
}

std::optional<Reservation> PostgresReservationRepository::find(std::int64_t reservation_id) {
  return pool_.query([&](auto& txn) -> std::optional<Reservation> {
    const auto rows = txn.exec_prepared("find_reservation", reservation_id);
    if (rows.empty()) return std::nullopt;
    return sql::reservation_from(rows[0]);
  });
}

std::optional<Reservation> PostgresReservationRepository::find_by_payment(
    std::string_view payment_id) {
  return pool_.query([&](auto& txn) -> std::optional<Reservation> {
    const auto rows = txn.exec_prepared("find_by_payment", std::string(payment_id));
    if (rows.empty()) return std::nullopt;
    return sql::reservation_from(rows[0]);
  });
}

Outcome PostgresReservationRepository::cancel(std::int64_t reservation_id, TimePoint now) {
  return pool_.write([&](pqxx::work& txn) -> Outcome {
    auto reservation = lock_reservation(txn, reservation_id);
    if (!reservation) return ticketing::fail(ConcertError::reservation_not_found);
    const auto decision = decide_cancel(*reservation, now);
    if (auto refused = refusal_of(decision)) return ticketing::fail(*refused);
    if (decision == CancelDecision::release) {
      end_hold(txn, *reservation, ReservationStatus::cancelled, now);
    } else if (reservation->status == ReservationStatus::held) {
      // A lapsed hold the sweeper has not reached yet: record what it already reads as.
      end_hold(txn, *reservation, ReservationStatus::expired, now);
    }
    return *std::move(reservation);
  });
}

Outcome PostgresReservationRepository::confirm(std::int64_t reservation_id,
                                               std::string_view payment_id, TimePoint now) {
  const std::string payment(payment_id);
  try {
    // One round trip for a live hold; everything else takes the reservation's lock and decides.
    auto live = pool_.execute([&](pqxx::nontransaction& txn) -> std::optional<Reservation> {
      const auto rows =
          txn.exec_prepared("confirm_live_hold", reservation_id, payment, sql::micros(now));
      if (rows.empty()) return std::nullopt;
      return sql::reservation_from(rows[0]);
    });
    if (live) return *std::move(live);
    return pool_.write([&](pqxx::work& txn) -> Outcome {
      auto reservation = lock_reservation(txn, reservation_id);
      if (!reservation) return ticketing::fail(ConcertError::reservation_not_found);
      const auto decision = decide_confirm(*reservation, payment, now);
      if (decision == ConfirmDecision::lapsed && reservation->status == ReservationStatus::held) {
        end_hold(txn, *reservation, ReservationStatus::expired, now);
      }
      if (auto refused = refusal_of(decision)) return ticketing::fail(*refused);
      if (decision == ConfirmDecision::already_done) return *std::move(reservation);
      const auto confirmed =
          txn.exec_prepared("confirm_hold", reservation->id, reservation->date.text(),
                            reservation->seat_no, payment, sql::micros(now));
      if (confirmed.affected_rows() == 1) {
        reservation->status = ReservationStatus::confirmed;
        reservation->payment_id = payment;
        return *std::move(reservation);
      }
      // The seat is no longer held by this reservation: the hold is over.
      end_hold(txn, *reservation, ReservationStatus::expired, now);
      return ticketing::fail(ConcertError::reservation_expired);
    });
  } catch (const pqxx::sql_error& error) {
    // This payment already confirmed another reservation; nothing of this attempt was kept.
    if (ticketing::db::is_unique_violation(error, "reservations_payment_id_unique")) {
      return ticketing::fail(ConcertError::already_confirmed);
    }
    throw;
  }
}

SweepReport PostgresReservationRepository::sweep_lapsed(TimePoint now) {
  return pool_.write([&](pqxx::work& txn) {
    return SweepReport{
        txn.exec_prepared1("sweep_lapsed", sql::micros(now), sweep_batch_)[0].as<std::int64_t>()};
  });
}

}  // namespace concert
