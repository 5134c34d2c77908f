#include "statements.hpp"

namespace concert::sql {
// The SQL reads better laid out by hand.
// clang-format off
namespace {

// Times travel as microseconds since the epoch so that C++ and SQL agree exactly.
#define AT(param) "to_timestamp(" param "::bigint / 1000000.0)"
#define MICROS(column) "(extract(epoch FROM " column ") * 1000000)::bigint"
#define RESERVATION_COLUMNS                                                                 \
  "r.id, r.user_id::text, d.concert_id, to_char(r.date, 'YYYY-MM-DD'), r.seat_no, r.price, " \
  "r.status, " MICROS("r.expires_at") ", r.payment_id"
// A seat counts as free when it is AVAILABLE or its hold has lapsed at `now`.
#define SEAT_FREE_AT(now) "(s.status = 'AVAILABLE' OR (s.status = 'HELD' AND s.hold_expires_at <= " now "))"

constexpr const char* kStatements[][2] = {
    // --- catalog ---
    // One statement: the concert, its dates and 50 seats per date. A taken date fails it on
    // dates_pkey and nothing of it stays.
    {"create_concert",
     "WITH concert AS (INSERT INTO concerts (title, price) VALUES ($1, $2) RETURNING id), "
     "new_dates AS (INSERT INTO dates (date, concert_id) "
     "SELECT d, concert.id FROM unnest($3::date[]) AS d, concert RETURNING date), "
     "new_seats AS (INSERT INTO seats (date, seat_no, price) "
     "SELECT n.date, s, $2 FROM new_dates n, generate_series(1, 50) AS s) "
     "SELECT id FROM concert"},
    {"dates_from",
     "SELECT to_char(d.date, 'YYYY-MM-DD'), d.concert_id, c.title, "
     "count(*) FILTER (WHERE " SEAT_FREE_AT(AT("$2")) ") AS free "
     "FROM dates d JOIN concerts c ON c.id = d.concert_id JOIN seats s ON s.date = d.date "
     "WHERE d.date >= $1::date GROUP BY d.date, d.concert_id, c.title "
     "HAVING count(*) FILTER (WHERE " SEAT_FREE_AT(AT("$2")) ") > 0 ORDER BY d.date"},
    {"seat_counts_from",
     "SELECT count(*) FILTER (WHERE " SEAT_FREE_AT(AT("$2")) "), "
     "count(*) FILTER (WHERE NOT " SEAT_FREE_AT(AT("$2")) " AND s.status = 'HELD') "
     "FROM seats s WHERE s.date >= $1::date"},
    {"seat_maps",
     "SELECT to_char(d.date, 'YYYY-MM-DD'), d.concert_id, c.title, s.seat_no, s.price, s.status, "
     MICROS("s.hold_expires_at") " "
     "FROM dates d JOIN concerts c ON c.id = d.concert_id JOIN seats s ON s.date = d.date "
     "WHERE d.date = ANY($1::date[]) ORDER BY d.date, s.seat_no"},
    {"date_exists", "SELECT 1 FROM dates WHERE date = $1::date"},

    // --- holds ---
    // A batch of holds in one round trip and one commit (migrations 003, 004): per request, its
    // position in the arrays, outcome, reservation, price and concert.
    {"hold_seats",
     "SELECT out_item, out_outcome, out_reservation_id, out_price, out_concert_id "
     "FROM hold_seats($1::uuid[], $2::date[], $3::int[], $4::bigint[], $5::bigint[], $6::int[])"},

    // --- reservations ---
    {"find_reservation",
     "SELECT " RESERVATION_COLUMNS " FROM reservations r JOIN dates d ON d.date = r.date "
     "WHERE r.id = $1"},
    {"find_by_payment",
     "SELECT " RESERVATION_COLUMNS " FROM reservations r JOIN dates d ON d.date = r.date "
     "WHERE r.payment_id = $1"},
    {"lock_reservation",
     "SELECT " RESERVATION_COLUMNS " FROM reservations r JOIN dates d ON d.date = r.date "
     "WHERE r.id = $1 FOR UPDATE OF r"},
    // The common confirmation in one statement: a HELD reservation whose hold has not lapsed at
    // $3 is CONFIRMED by payment $2 and its seat SOLD, together, and returned. No row: anything
    // else (unknown, lapsed, cancelled, confirmed already), which the locking path decides.
    {"confirm_live_hold",
     "WITH sold AS (UPDATE seats s SET status = 'SOLD', hold_expires_at = NULL "
     "FROM reservations r WHERE r.id = $1 AND r.status = 'HELD' AND r.expires_at > " AT("$3") " "
     "AND s.date = r.date AND s.seat_no = r.seat_no AND s.held_by = r.id AND s.status = 'HELD' "
     "RETURNING 1) "
     "UPDATE reservations r SET status = 'CONFIRMED', payment_id = $2, confirmed_at = " AT("$3") " "
     "FROM dates d WHERE r.id = $1 AND r.status = 'HELD' AND d.date = r.date "
     "AND EXISTS (SELECT 1 FROM sold) RETURNING " RESERVATION_COLUMNS},
    // Seat SOLD and reservation CONFIRMED together, only if the seat is still held by it.
    {"confirm_hold",
     "WITH sold AS (UPDATE seats SET status = 'SOLD', hold_expires_at = NULL "
     "WHERE date = $2::date AND seat_no = $3 AND held_by = $1 AND status = 'HELD' RETURNING 1) "
     "UPDATE reservations SET status = 'CONFIRMED', payment_id = $4, confirmed_at = " AT("$5") " "
     "WHERE id = $1 AND status = 'HELD' AND EXISTS (SELECT 1 FROM sold)"},
    // Ends a HELD reservation (EXPIRED or CANCELLED) and frees its seat if it still holds it.
    {"end_hold",
     "WITH freed AS (UPDATE seats SET status = 'AVAILABLE', held_by = NULL, hold_expires_at = NULL "
     "WHERE date = $2::date AND seat_no = $3 AND held_by = $1 AND status = 'HELD') "
     "UPDATE reservations SET status = $4, ended_at = " AT("$5") " WHERE id = $1 AND status = 'HELD'"},
    // At most $2 lapsed holds; rows another replica's sweep (or a confirm or cancel) has locked
    // are skipped, so sweeps run side by side without waiting or ending a hold twice.
    {"sweep_lapsed",
     "WITH lapsed AS (SELECT id FROM reservations WHERE status = 'HELD' AND expires_at <= " AT("$1") " "
     "ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
     "ended AS (UPDATE reservations r SET status = 'EXPIRED', ended_at = " AT("$1") " "
     "FROM lapsed WHERE r.id = lapsed.id RETURNING r.id, r.date, r.seat_no), "
     "freed AS (UPDATE seats s SET status = 'AVAILABLE', held_by = NULL, hold_expires_at = NULL "
     "FROM ended WHERE s.date = ended.date AND s.seat_no = ended.seat_no AND s.held_by = ended.id "
     "AND s.status = 'HELD') "
     "SELECT count(*) FROM ended"},
};

#undef SEAT_FREE_AT
#undef RESERVATION_COLUMNS
#undef MICROS
#undef AT

}  // namespace
// clang-format on

void prepare_all(pqxx::connection& connection) {
  connection.set_variable("search_path", "concert");
  for (const auto& [name, text] : kStatements) connection.prepare(name, text);
}

}  // namespace concert::sql
