-- Puts :n more WAITING tokens (and their users) at the end of the queue's line, the way the
-- queue service's issue does (services/queue/adapters/postgres/issue_batch.cpp): under the line's
-- advisory lock (:line_lock, kLineLock in services/queue/adapters/postgres/statements.hpp), places
-- after last_place without gaps, and the line's counters moved in the same transaction, so the
-- running service sees a consistent line. Tokens are md5(:'tag' || n): 32 lowercase hex digits
-- like the service's. last_polled_at is now, so none is dropped as abandoned during the run.
-- psql variables: n, tag, line_lock. Run as the superuser on the tickets database.
BEGIN;
SELECT pg_advisory_xact_lock(:line_lock);
CREATE TEMP TABLE bench_fill ON COMMIT DROP AS
  SELECT g, gen_random_uuid() AS user_id FROM generate_series(1, :n) AS g;
INSERT INTO queue.users (id, created_at) SELECT user_id, now() FROM bench_fill;
INSERT INTO queue.tokens (token, user_id, place, status, issued_at, last_polled_at)
  SELECT md5(:'tag' || '-' || f.g), f.user_id, l.last_place + f.g, 'WAITING', now(), now()
  FROM bench_fill f, queue.line l WHERE l.id = 1;
UPDATE queue.line SET waiting = waiting + :n, last_place = last_place + :n WHERE id = 1;
COMMIT;
VACUUM (ANALYZE) queue.users, queue.tokens;
