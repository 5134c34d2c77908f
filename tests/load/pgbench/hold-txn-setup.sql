-- Tables for the whole-hold-transaction reference row: the concert service's own schema
-- (services/concert/migrations/*.sql, applied by the caller after this file with the same
-- search_path), then one concert with `days` dates of 50 seats from base_date.
-- psql variables: base_date (YYYY-MM-DD) and days.
CREATE SCHEMA bench_hold;
SET search_path = bench_hold;
