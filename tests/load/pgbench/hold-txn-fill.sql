-- Fills the bench_hold schema (see hold-txn-setup.sql) with one concert of `days` dates.
SET search_path = bench_hold;
INSERT INTO concerts (title, price) VALUES ('pgbench hold', 50000);
INSERT INTO dates (date, concert_id)
SELECT :'base_date'::date + d, 1 FROM generate_series(0, :days - 1) AS d;
INSERT INTO seats (date, seat_no, price)
SELECT :'base_date'::date + d, s, 50000 FROM generate_series(0, :days - 1) AS d, generate_series(1, 50) AS s;
VACUUM (ANALYZE) concerts, dates, seats, reservations;
