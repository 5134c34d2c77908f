-- Table for the durable INSERT baseline: shaped like a queue token row (bigint key, a uuid,
-- a place in line, a status and a timestamp). Lives in its own schema of the bench database.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.insert_rows (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid        NOT NULL,
  place      bigint      NOT NULL,
  status     text        NOT NULL,
  issued_at  timestamptz NOT NULL DEFAULT now()
);
