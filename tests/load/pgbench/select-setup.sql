-- Table for the primary-key SELECT baseline: shaped like a queue token row (the text key the
-- gateway's token check and the poll look up), :rows rows keyed md5(n).
-- psql variable: rows.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.tokens (
  token          text PRIMARY KEY,
  user_id        uuid        NOT NULL,
  place          bigint      NOT NULL,
  status         text        NOT NULL,
  expires_at     timestamptz,
  last_polled_at timestamptz NOT NULL
);
INSERT INTO bench.tokens
SELECT md5(n::text), gen_random_uuid(), n, 'ACTIVE', now() + interval '1 day', now()
FROM generate_series(1, :rows) AS n;
VACUUM (ANALYZE) bench.tokens;
