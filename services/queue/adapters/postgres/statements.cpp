#include "statements.hpp"

#include <string_view>

namespace queue::sql {
// The SQL reads better laid out by hand.
// clang-format off
namespace {

// kTokenEndChannel, spelled out to be joined into the SQL text.
#define TOKEN_END_CHANNEL "queue_token_ended"
static_assert(std::string_view(TOKEN_END_CHANNEL) == kTokenEndChannel);

// A token's place: an early token's row holds its drawn place only once the row is written
// for another reason (migration 007); until then it is read from drawn_places.
// PLACE_OF("t.") for a table read under an alias.
#define PLACE_OF(alias)                                                                 \
  "coalesce(" alias "place, drawn_place_of(" alias "opening_number, " alias "arrival_number))"
#define PLACE_IN_LINE PLACE_OF("")

// Times travel as microseconds since the epoch so that C++ and SQL agree exactly.
#define TOKEN_COLUMNS                                                              \
  "token, user_id::text, status, " PLACE_IN_LINE " AS place, "                     \
  "(extract(epoch FROM expires_at) * 1000000)::bigint AS expires_us, arrival_number"

constexpr const char* kStatements[][2] = {
    {"lock_line", "SELECT pg_advisory_xact_lock($1)"},
    {"find_tokens", "SELECT " TOKEN_COLUMNS " FROM tokens WHERE token = ANY($1::text[])"},
    {"user_exists", "SELECT 1 FROM users WHERE id = $1::uuid"},
    // Users of a batch that exist, each with their live token if any.
    {"live_tokens_of",
     "SELECT u.id::text, t.token, t.user_id::text, t.status, "
     PLACE_OF("t.") ", "
     "(extract(epoch FROM t.expires_at) * 1000000)::bigint, t.arrival_number "
     "FROM unnest($1::uuid[]) AS r(id) JOIN users u ON u.id = r.id "
     "LEFT JOIN tokens t ON t.user_id = u.id AND t.status IN ('WAITING', 'ACTIVE')"},
    // A batch's new tokens and the line's counters moved for them, in one round trip under the
    // line lock. $7.. as in move_line ($7 active, $8 waiting, $9 places taken, $10 served place,
    // $11 admitted, $12 expired); $13 arrival numbers given. Place or arrival number 0: none.
    {"place_tokens",
     "WITH placed AS (INSERT INTO tokens (token, user_id, place, status, issued_at, admitted_at, "
     "expires_at, last_polled_at, arrival_number) "
     "SELECT t.token, t.user_id, nullif(t.place, 0), t.status, "
     "to_timestamp($5::bigint / 1000000.0), "
     "CASE WHEN t.status = 'ACTIVE' THEN to_timestamp($5::bigint / 1000000.0) END, "
     "CASE WHEN t.status = 'ACTIVE' THEN to_timestamp($6::bigint / 1000000.0) END, "
     "to_timestamp($5::bigint / 1000000.0), nullif(t.arrival, 0) "
     "FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::text[], $14::bigint[]) "
     "AS t(token, user_id, place, status, arrival)) "
     "UPDATE line SET active = active + $7, waiting = waiting + $8, last_place = last_place + $9, "
     "served_place = greatest(served_place, $10), admitted_total = admitted_total + $11, "
     "expired_total = expired_total + $12, early_count = early_count + $13 WHERE id = 1"},
    // A batch's new users ($2, possibly none) and the line lock with the line's row, in one round
    // trip: issues wait for one another on that lock, so every round trip of a batch counts.
    // PostgreSQL does not order a WITH clause's insert against the main query, and need not:
    // users take no place in line, so whether they are inserted before or after the lock is
    // granted changes nothing.
    {"mint_users_and_lock_line",
     "WITH minted AS (INSERT INTO users (id, created_at) "
     "SELECT id, to_timestamp($3::bigint / 1000000.0) FROM unnest($2::uuid[]) AS r(id)) "
     "SELECT * FROM lock_draw_and_read_line($1, to_timestamp($3::bigint / 1000000.0))"},
    // A batch of new visitors' tokens in one call (migration 005).
    {"issue_to_new_users",
     "SELECT * FROM issue_to_new_users($1, $2::uuid[], $3::text[], $4, $5)"},
    {"read_line",
     "SELECT capacity, paused, active, waiting, last_place, served_place, admitted_total, "
     "expired_total, dropped_total, (extract(epoch FROM opens_at) * 1000000)::bigint, "
     "opening_pending, early_count, seats_available, seats_held FROM line WHERE id = 1"},
    // The opening's draw when due (migration 006); the caller holds the line lock.
    {"draw_if_due", "SELECT draw_if_due(to_timestamp($1::bigint / 1000000.0))"},
    // A pending opening moves (its seed and arrival numbers kept); else a new one starts.
    {"set_opening",
     "UPDATE line SET opens_at = to_timestamp($1::bigint / 1000000.0), "
     "opening_seed = CASE WHEN opening_pending THEN opening_seed ELSE decode($2, 'hex') END, "
     "opening_number = CASE WHEN opening_pending THEN opening_number ELSE opening_number + 1 END, "
     "early_count = CASE WHEN opening_pending THEN early_count ELSE 0 END, "
     "opening_pending = true WHERE id = 1"},
    {"open_now",
     "UPDATE line SET opens_at = to_timestamp($1::bigint / 1000000.0) "
     "WHERE id = 1 AND opening_pending"},
    {"read_opening",
     "SELECT (extract(epoch FROM opens_at) * 1000000)::bigint, encode(sha256(opening_seed), 'hex'), "
     "early_count, CASE WHEN NOT opening_pending THEN encode(opening_seed, 'hex') END "
     "FROM line WHERE id = 1 AND opening_seed IS NOT NULL"},
    {"move_line",
     "UPDATE line SET active = active + $1, waiting = waiting + $2, last_place = last_place + $3, "
     "served_place = greatest(served_place, $4), admitted_total = admitted_total + $5, "
     "expired_total = expired_total + $6, dropped_total = dropped_total + $7 WHERE id = 1"},
    {"expire_tokens",
     "UPDATE tokens SET status = 'EXPIRED', ended_at = to_timestamp($2::bigint / 1000000.0) "
     "WHERE token = ANY($1::text[]) AND status IN ('WAITING', 'ACTIVE') RETURNING status"},
    // The common expiry (ACTIVE tokens after their payments), a batch in one statement and one
    // commit, counted later by the admission pass. A token without a row is unknown, WAITING or
    // ended already.
    // Both statements that end a token announce it to every replica's token cache (see
    // TokenEndListener), in the same transaction: delivered exactly when the end commits. The
    // pg_notify call sits in the final SELECT, as a SELECT-only CTE nobody reads is never run.
    {"end_active_tokens",
     "WITH ended AS (UPDATE tokens SET status = 'EXPIRED', "
     "ended_at = to_timestamp($2::bigint / 1000000.0) "
     "WHERE token = ANY($1::text[]) AND status = 'ACTIVE' "
     "RETURNING *), "
     "counted AS (INSERT INTO uncounted_expiries (token, was_active) SELECT token, true FROM ended) "
     "SELECT " TOKEN_COLUMNS ", pg_notify('" TOKEN_END_CHANNEL "', token) FROM ended"},
    {"lock_token", "SELECT " TOKEN_COLUMNS " FROM tokens WHERE token = $1 FOR UPDATE"},
    {"find_token", "SELECT " TOKEN_COLUMNS " FROM tokens WHERE token = $1"},
    {"end_token",
     "WITH ended AS (UPDATE tokens SET status = 'EXPIRED', "
     "ended_at = to_timestamp($2::bigint / 1000000.0), place = " PLACE_IN_LINE " "
     "WHERE token = $1 RETURNING token) "
     "SELECT pg_notify('" TOKEN_END_CHANNEL "', token) FROM ended"},
    {"expire_lapsed",
     "UPDATE tokens SET status = 'EXPIRED', ended_at = to_timestamp($1::bigint / 1000000.0) "
     "WHERE status = 'ACTIVE' AND expires_at <= to_timestamp($1::bigint / 1000000.0)"},
    // A drawn early token's row takes its place as it ends (migration 007).
    {"drop_abandoned",
     "WITH dropped AS (UPDATE tokens SET status = 'DROPPED', "
     "ended_at = to_timestamp($1::bigint / 1000000.0), place = " PLACE_IN_LINE " "
     "WHERE status = 'WAITING' AND last_polled_at <= to_timestamp($2::bigint / 1000000.0) "
     "RETURNING place) "
     "INSERT INTO dropped_places (place) SELECT place FROM dropped WHERE place IS NOT NULL "
     "ORDER BY place"},
    // The first $3 waiting tokens in place order: those placed in their rows, merged with the
    // drawn early tokens still unplaced (all behind the served place), who take their places.
    {"admit_waiting",
     "WITH next AS ("
     "(SELECT token, place FROM tokens WHERE status = 'WAITING' AND place IS NOT NULL "
     "ORDER BY place LIMIT $3) "
     "UNION ALL "
     "(SELECT t.token, d.drawn_place FROM drawn_places d JOIN tokens t "
     "ON t.opening_number = d.opening_number AND t.arrival_number = d.arrival_number "
     "AND t.place IS NULL "
     "WHERE d.drawn_place > (SELECT served_place FROM line WHERE id = 1) AND t.status = 'WAITING' "
     "ORDER BY d.drawn_place LIMIT $3) "
     "ORDER BY place LIMIT $3), "
     "admitted AS (UPDATE tokens t SET status = 'ACTIVE', place = next.place, "
     "admitted_at = to_timestamp($1::bigint / 1000000.0), "
     "expires_at = to_timestamp($2::bigint / 1000000.0) "
     "FROM next WHERE t.token = next.token "
     "RETURNING t.place) "
     "SELECT count(*), coalesce(max(place), 0) FROM admitted"},
    {"vacate_place", "INSERT INTO dropped_places (place) VALUES ($1)"},
    {"count_later", "INSERT INTO uncounted_expiries (token, was_active) VALUES ($1, $2)"},
    {"take_uncounted",
     "WITH taken AS (DELETE FROM uncounted_expiries RETURNING was_active) "
     "SELECT count(*) FILTER (WHERE was_active), count(*) FILTER (WHERE NOT was_active) FROM taken"},
    {"prune_dropped", "DELETE FROM dropped_places WHERE place <= $1"},
    {"new_drops",
     "SELECT d.sequence, d.place FROM dropped_places d, line l "
     "WHERE l.id = 1 AND d.sequence > $1 AND d.place > l.served_place ORDER BY d.sequence"},
    // A replica with a newer answer about the seats than the line keeps replaces it.
    {"record_seats",
     "UPDATE line SET seats_available = $1, seats_held = $2, "
     "seats_seen_at = to_timestamp($3::bigint / 1000000.0) WHERE id = 1 AND "
     "(seats_seen_at IS NULL OR seats_seen_at <= to_timestamp($3::bigint / 1000000.0))"},
    {"forget_seats",
     "UPDATE line SET seats_available = NULL, seats_held = NULL, "
     "seats_seen_at = to_timestamp($1::bigint / 1000000.0) WHERE id = 1 AND "
     "(seats_seen_at IS NULL OR seats_seen_at <= to_timestamp($1::bigint / 1000000.0))"},
    {"record_polls",
     "UPDATE tokens SET last_polled_at = to_timestamp($2::bigint / 1000000.0) "
     "WHERE token = ANY($1::text[]) AND status = 'WAITING'"},
    {"initialise_line",
     "INSERT INTO line (id, capacity) VALUES (1, $1) ON CONFLICT (id) DO UPDATE "
     "SET capacity = EXCLUDED.capacity WHERE NOT line.capacity_set_by_admin"},
    {"set_capacity", "UPDATE line SET capacity = $1, capacity_set_by_admin = true WHERE id = 1"},
    {"set_paused", "UPDATE line SET paused = $1 WHERE id = 1"},
};

#undef TOKEN_COLUMNS
#undef PLACE_IN_LINE
#undef PLACE_OF
#undef TOKEN_END_CHANNEL

}  // namespace
// clang-format on

void prepare_all(pqxx::connection& connection) {
  connection.set_variable("search_path", "queue");
  for (const auto& [name, text] : kStatements) connection.prepare(name, text);
}

}  // namespace queue::sql
