-- A keyed request's effect carries its Idempotency-Key, so what the first run did can always be
-- found from the effect itself: a retry after a crash between the effect's commit and the
-- stored answer replays it instead of running again (the key's record alone could not tell).
ALTER TABLE ledger ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255);
-- At most one charge per user and key, whatever races: a second run of a key fails, not charges.
CREATE UNIQUE INDEX ledger_one_charge_per_key ON ledger (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

ALTER TABLE payments ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 255);
-- A retry finds its own payment (only ever one live one: payments_one_live_per_reservation).
CREATE INDEX payments_by_key ON payments (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
