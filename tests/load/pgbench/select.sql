-- One primary-key SELECT of a random row per transaction (a read: nothing to commit durably),
-- the lookup the token check and the poll make. pgbench -D rows=N (the table's row count).
\set n random(1, :rows)
SELECT token, user_id, status, place, expires_at FROM bench.tokens WHERE token = md5(:n::text);
