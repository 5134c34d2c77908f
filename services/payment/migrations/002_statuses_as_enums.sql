-- Payment statuses and ledger entry types as enum types instead of text checked by
-- CHECK (... IN ...), as the concert service did for its seats and reservations (its migration
-- 005): an enum admits exactly the same values and costs nothing per statement, where
-- PostgreSQL prepares a table's CHECK constraints again for every statement that writes it, and
-- an IN list of text constants was the dearest of them. A payment writes the ledger and its
-- payment row when it debits and the payment row again when it completes; a charge writes the
-- ledger.
--
-- The checks and partial indexes that compare these columns with text constants are dropped
-- and made again over the enums, unchanged in meaning (ALTER COLUMN ... TYPE cannot carry an
-- expression comparing the new type with text).
CREATE TYPE payment_status AS ENUM ('PENDING', 'COMPLETED', 'FAILED');
CREATE TYPE ledger_entry_type AS ENUM ('CHARGE', 'PAYMENT', 'REFUND');

ALTER TABLE ledger
  DROP CONSTRAINT ledger_type_check,
  DROP CONSTRAINT ledger_check;
ALTER TABLE ledger
  ALTER COLUMN type TYPE ledger_entry_type USING type::ledger_entry_type,
  ADD CONSTRAINT ledger_charge_iff_no_payment CHECK ((type = 'CHARGE') = (payment_id IS NULL));

DROP INDEX payments_one_live_per_reservation;
DROP INDEX payments_pending_by_age;
ALTER TABLE payments
  DROP CONSTRAINT payments_status_check,
  DROP CONSTRAINT payments_check,
  DROP CONSTRAINT payments_check1;
ALTER TABLE payments
  ALTER COLUMN status TYPE payment_status USING status::payment_status,
  ADD CONSTRAINT payments_completed_iff_completed_at
    CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
  ADD CONSTRAINT payments_failed_iff_failed_at CHECK ((status = 'FAILED') = (failed_at IS NOT NULL));
CREATE UNIQUE INDEX payments_one_live_per_reservation ON payments (reservation_id)
  WHERE status IN ('PENDING', 'COMPLETED');
CREATE INDEX payments_pending_by_age ON payments (created_at) WHERE status = 'PENDING';
