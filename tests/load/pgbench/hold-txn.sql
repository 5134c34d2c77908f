-- The whole seat hold as the service runs it (PostgresReservationRepository::hold with the
-- statements of services/concert/adapters/postgres/statements.cpp), in the service's own schema
-- (bench_hold): per-user lock, the user's live reservations, the conditional UPDATE, the
-- reservation INSERT, in one durable transaction. A reference for reserve: the database's
-- rate for the hold without HTTP or the service. Seats are walked as in hold.sql; the user of
-- seat index i is 00000000-0000-4000-8000-<i in 12 hex digits>, as in wrk/reserve.lua.
-- pgbench -D: n=-1, clients, base_date, now_us, expires_us (as for hold.sql).
\set n :n + 1
\set i :client_id + :n * :clients
\set day :i / 50
\set seat :i % 50 + 1
BEGIN;
SELECT pg_advisory_xact_lock(1668247139, hashtext(('00000000-0000-4000-8000-' || lpad(to_hex(:i::bigint), 12, '0')) || '/' || to_char(:base_date::date + :day::integer, 'YYYY-MM-DD')));
SELECT status, (extract(epoch FROM expires_at) * 1000000)::bigint FROM bench_hold.reservations
  WHERE user_id = ('00000000-0000-4000-8000-' || lpad(to_hex(:i::bigint), 12, '0'))::uuid
  AND date = :base_date::date + :day::integer AND status IN ('HELD', 'CONFIRMED');
UPDATE bench_hold.seats s SET status = 'HELD', held_by = nextval('bench_hold.reservations_id_seq'),
  hold_expires_at = to_timestamp(:expires_us::bigint / 1000000.0)
  WHERE s.date = :base_date::date + :day::integer AND s.seat_no = :seat
  AND (s.status = 'AVAILABLE' OR (s.status = 'HELD' AND s.hold_expires_at <= to_timestamp(:now_us::bigint / 1000000.0)))
  RETURNING s.held_by AS held_by, s.price AS price \gset
WITH lapsed AS (UPDATE bench_hold.reservations SET status = 'EXPIRED', ended_at = to_timestamp(:now_us::bigint / 1000000.0)
  WHERE id IN (SELECT id FROM bench_hold.reservations WHERE date = :base_date::date + :day::integer AND seat_no = :seat
  AND status = 'HELD' AND expires_at <= to_timestamp(:now_us::bigint / 1000000.0) FOR UPDATE SKIP LOCKED))
INSERT INTO bench_hold.reservations (id, user_id, date, seat_no, price, status, created_at, expires_at)
  VALUES (:held_by, ('00000000-0000-4000-8000-' || lpad(to_hex(:i::bigint), 12, '0'))::uuid,
  :base_date::date + :day::integer, :seat, :price, 'HELD', to_timestamp(:now_us::bigint / 1000000.0),
  to_timestamp(:expires_us::bigint / 1000000.0))
  RETURNING (SELECT concert_id FROM bench_hold.dates WHERE date = :base_date::date + :day::integer);
COMMIT;
