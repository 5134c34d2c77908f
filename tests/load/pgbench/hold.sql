-- The seat hold's conditional UPDATE ("take_seat" in
-- services/concert/adapters/postgres/statements.cpp), one per transaction (autocommit: it
-- commits and waits for the WAL flush), on a different seat every time so every UPDATE wins.
-- Client c takes seat indexes c, c + clients, c + 2 * clients, ...; index i is seat
-- i % 50 + 1 of day i / 50 after base_date. Variables persist from one transaction of a client
-- to the next, so n counts the client's transactions.
-- pgbench -D: n=-1, clients (= -c), base_date (YYYY-MM-DD), now_us and expires_us (epoch
-- microseconds, as the service passes them).
\set n :n + 1
\set i :client_id + :n * :clients
\set day :i / 50
\set seat :i % 50 + 1
UPDATE bench.seats s SET status = 'HELD', held_by = nextval('bench.reservations_id_seq'),
  hold_expires_at = to_timestamp(:expires_us::bigint / 1000000.0)
WHERE s.date = :base_date::date + :day::integer AND s.seat_no = :seat
  AND (s.status = 'AVAILABLE' OR (s.status = 'HELD' AND s.hold_expires_at <= to_timestamp(:now_us::bigint / 1000000.0)))
RETURNING s.held_by, s.price;
