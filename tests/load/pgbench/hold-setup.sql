-- Table for the conditional-UPDATE baseline: shaped like concert.seats (same columns, key,
-- defaults and checks, the status an enum; services/concert/migrations/001_*.sql and 005_*.sql)
-- plus a sequence standing in for reservations_id_seq. The foreign keys are left out: the
-- service's hold inserts the reservation that held_by points at in the same transaction, this
-- baseline does not.
-- psql variables: base_date (first date, YYYY-MM-DD) and days (dates of 50 seats each).
CREATE SCHEMA IF NOT EXISTS bench;
CREATE SEQUENCE bench.reservations_id_seq;
CREATE TYPE bench.seat_status AS ENUM ('AVAILABLE', 'HELD', 'SOLD');
CREATE TABLE bench.seats (
  date            date NOT NULL,
  seat_no         smallint NOT NULL CHECK (seat_no BETWEEN 1 AND 50),
  price           bigint NOT NULL CHECK (price >= 0),
  status          bench.seat_status NOT NULL DEFAULT 'AVAILABLE',
  held_by         bigint,
  hold_expires_at timestamptz,
  PRIMARY KEY (date, seat_no),
  CHECK ((status = 'AVAILABLE') = (held_by IS NULL)),
  CHECK ((status = 'HELD') = (hold_expires_at IS NOT NULL))
);
INSERT INTO bench.seats (date, seat_no, price)
SELECT :'base_date'::date + d, s, 50000
FROM generate_series(0, :days - 1) AS d, generate_series(1, 50) AS s;
VACUUM (ANALYZE) bench.seats;
