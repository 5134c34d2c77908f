#include "statements.hpp"

namespace payment::sql {
namespace {

// The SQL reads best laid out by hand.
// clang-format off
// Times travel as microseconds since the epoch so that C++ and SQL agree exactly.
#define AT(param) "to_timestamp(" param "::bigint / 1000000.0)"
#define MICROS(column) "(extract(epoch FROM " column ") * 1000000)::bigint"
#define PAYMENT_COLUMNS                                                                   \
  "id::text, reservation_id, user_id::text, amount, status, " MICROS("created_at") ", " \
  MICROS("completed_at") ", queue_token"

constexpr const char* kStatements[][2] = {
    // --- points ---
    {"balance_of", "SELECT balance FROM balances WHERE user_id = $1::uuid"},
    // Charges of a batch (element i of $1 users, $2 amounts, $4 times, $5 keys; $3 the limit):
    // a key already in the ledger answers its first balance; rows in user order, so batches never
    // deadlock. Returns (i, balance) per charge made or found; a missing i passed the limit.
    {"charge_batch",
     "WITH input AS (SELECT * FROM unnest($1::uuid[], $2::bigint[], $4::bigint[], $5::text[]) "
     "WITH ORDINALITY AS t(user_id, amount, at_us, charge_key, i)), "
     "made_before AS (SELECT i.i, l.balance_after FROM input i JOIN ledger l "
     "ON l.user_id = i.user_id AND l.idempotency_key = i.charge_key "
     "WHERE l.idempotency_key IS NOT NULL), "
     "fresh AS (SELECT * FROM input WHERE i NOT IN (SELECT i FROM made_before)), "
     "charged AS (INSERT INTO balances AS b (user_id, balance, updated_at) "
     "SELECT user_id, amount, " AT("at_us") " FROM fresh WHERE amount <= $3::bigint "
     "ORDER BY user_id "
     "ON CONFLICT (user_id) DO UPDATE SET balance = b.balance + EXCLUDED.balance, "
     "updated_at = greatest(EXCLUDED.updated_at, b.updated_at) "
     "WHERE b.balance <= $3::bigint - EXCLUDED.balance "
     "RETURNING b.user_id, b.balance, b.updated_at), "
     "entries AS (INSERT INTO ledger "
     "(user_id, type, amount, balance_after, created_at, idempotency_key) "
     "SELECT c.user_id, 'CHARGE', f.amount, c.balance, c.updated_at, f.charge_key "
     "FROM charged c JOIN fresh f USING (user_id) ORDER BY f.i) "
     "SELECT f.i, c.balance FROM fresh f JOIN charged c USING (user_id) "
     "UNION ALL SELECT i, balance_after FROM made_before"},
    // The balance right after the user's charge under this key, if one was made.
    {"charge_by_key",
     "SELECT balance_after FROM ledger WHERE user_id = $1::uuid AND idempotency_key = $2 "
     "AND idempotency_key IS NOT NULL AND type = 'CHARGE'"},
    {"history",
     "SELECT type, amount, balance_after, " MICROS("created_at") " FROM ledger "
     "WHERE user_id = $1::uuid ORDER BY id DESC LIMIT $2"},

    // --- payments ---
    {"find_payment", "SELECT " PAYMENT_COLUMNS " FROM payments WHERE id = $1::uuid"},
    // Saga step 3: the reservation's live payment comes back marked existing (columns 8, 9);
    // else a debit never below zero, its entry and a PENDING payment keyed $7 come back new.
    // No row: the balance was short.
    {"begin_payment",
     "WITH live AS (SELECT * FROM payments "
     "WHERE reservation_id = $2 AND status IN ('PENDING', 'COMPLETED')), "
     "debited AS (UPDATE balances SET balance = balance - $4::bigint, "
     "updated_at = greatest(" AT("$6") ", updated_at) "
     "WHERE user_id = $3::uuid AND balance >= $4::bigint AND NOT EXISTS (SELECT 1 FROM live) "
     "RETURNING balance, updated_at), "
     "entry AS (INSERT INTO ledger (user_id, type, amount, balance_after, payment_id, created_at) "
     "SELECT $3::uuid, 'PAYMENT', $4::bigint, balance, $1::uuid, updated_at FROM debited), "
     "inserted AS (INSERT INTO payments "
     "(id, reservation_id, user_id, amount, status, queue_token, created_at, idempotency_key) "
     "SELECT $1::uuid, $2, $3::uuid, $4::bigint, 'PENDING', $5, " AT("$6") ", $7 FROM debited "
     "RETURNING *) "
     "SELECT " PAYMENT_COLUMNS ", true, idempotency_key FROM live "
     "UNION ALL SELECT " PAYMENT_COLUMNS ", false, idempotency_key FROM inserted"},
    // The user's latest payment under this key (a retry looks for what its first run did).
    {"payment_by_key",
     "SELECT " PAYMENT_COLUMNS " FROM payments WHERE user_id = $1::uuid AND idempotency_key = $2 "
     "AND idempotency_key IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1"},
    // PENDING -> COMPLETED and, for a payment with a queue token still to expire ($3), its
    // expiry queued; only the call that makes the change queues it. Returns the payment: as
    // completed, or as this statement's snapshot saw it when it was not PENDING (a PENDING row
    // returned means another change won the row meanwhile: read it again).
    {"complete_payment",
     "WITH done AS (UPDATE payments SET status = 'COMPLETED', completed_at = " AT("$2") " "
     "WHERE id = $1::uuid AND status = 'PENDING' RETURNING *), "
     "queued AS (INSERT INTO token_expiries (payment_id, queue_token, next_attempt_at) "
     "SELECT id, queue_token, " AT("$2") " FROM done "
     "WHERE $3::boolean AND queue_token IS NOT NULL) "
     "SELECT " PAYMENT_COLUMNS " FROM done "
     "UNION ALL SELECT " PAYMENT_COLUMNS " FROM payments "
     "WHERE id = $1::uuid AND NOT EXISTS (SELECT 1 FROM done)"},
    // Refunds take the balance row before the payment row, in the order a payment's debit does,
    // so a refund and a begin of the same user never deadlock.
    {"lock_balance_of_pending",
     "SELECT b.balance FROM payments p JOIN balances b ON b.user_id = p.user_id "
     "WHERE p.id = $1::uuid AND p.status = 'PENDING' FOR UPDATE OF b"},
    // PENDING -> FAILED, the amount credited back and its REFUND entry, only once.
    {"refund_payment",
     "WITH failed AS (UPDATE payments SET status = 'FAILED', failed_at = " AT("$2") " "
     "WHERE id = $1::uuid AND status = 'PENDING' RETURNING id, user_id, amount), "
     "credited AS (UPDATE balances b SET balance = b.balance + f.amount, "
     "updated_at = greatest(" AT("$2") ", b.updated_at) "
     "FROM failed f WHERE b.user_id = f.user_id "
     "RETURNING b.user_id, b.balance, b.updated_at, f.amount, f.id) "
     "INSERT INTO ledger (user_id, type, amount, balance_after, payment_id, created_at) "
     "SELECT user_id, 'REFUND', amount, balance, id, updated_at FROM credited"},
    {"completed_of",
     "SELECT " PAYMENT_COLUMNS " FROM payments WHERE user_id = $1::uuid AND status = 'COMPLETED' "
     "ORDER BY created_at DESC, id DESC"},
    {"pending_before",
     "SELECT " PAYMENT_COLUMNS " FROM payments "
     "WHERE status = 'PENDING' AND created_at < " AT("$1") " ORDER BY created_at, id LIMIT $2"},

    // --- token expiries ---
    {"due_token_expiries",
     "SELECT payment_id::text, queue_token, attempts FROM token_expiries "
     "WHERE done_at IS NULL AND next_attempt_at <= " AT("$1") " "
     "ORDER BY next_attempt_at, payment_id LIMIT $2"},
    {"token_expired",
     "UPDATE token_expiries SET done_at = " AT("$2") " WHERE payment_id = $1::uuid "
     "AND done_at IS NULL"},
    {"token_expiry_failed",
     "UPDATE token_expiries SET attempts = attempts + 1, next_attempt_at = " AT("$2") " "
     "WHERE payment_id = $1::uuid AND done_at IS NULL"},

    // --- idempotency keys ---
    {"claim_key",
     "INSERT INTO idempotency_keys (user_id, scope, key, fingerprint, started_at) "
     "VALUES ($1::uuid, $2, $3, $4, " AT("$5") ") ON CONFLICT DO NOTHING"},
    {"read_key",
     "SELECT fingerprint, response_status, response_body, " MICROS("started_at") " "
     "FROM idempotency_keys WHERE user_id = $1::uuid AND scope = $2 AND key = $3"},
    // Only the caller that saw this exact start can restart it: one of many racing wins.
    {"take_over_key",
     "UPDATE idempotency_keys SET started_at = " AT("$5") " "
     "WHERE user_id = $1::uuid AND scope = $2 AND key = $3 "
     "AND started_at = " AT("$4") " AND response_status IS NULL"},
    // The first response is kept: a late second finish does not replace it.
    {"finish_key",
     "UPDATE idempotency_keys SET response_status = $4, response_body = $5 "
     "WHERE user_id = $1::uuid AND scope = $2 AND key = $3 AND response_status IS NULL"},
    {"release_key",
     "DELETE FROM idempotency_keys WHERE user_id = $1::uuid AND scope = $2 AND key = $3 "
     "AND response_status IS NULL"},
    {"purge_keys", "DELETE FROM idempotency_keys WHERE started_at < " AT("$1")},
};
// clang-format on

#undef PAYMENT_COLUMNS
#undef MICROS
#undef AT

}  // namespace

void prepare_all(pqxx::connection& connection) {
  connection.set_variable("search_path", "payment");
  for (const auto& [name, text] : kStatements) connection.prepare(name, text);
}

void prepare_recoverable(pqxx::connection& connection) {
  prepare_all(connection);
  connection.set_variable("synchronous_commit", "off");
}

}  // namespace payment::sql
