-- A user's points as they stand. A row appears with the first charge; no row reads as 0.
-- Every change of a balance is an UPDATE of this row, so concurrent changes of one balance
-- queue on its row lock and none is lost.
CREATE TABLE balances (
  user_id    uuid PRIMARY KEY,
  balance    bigint NOT NULL CHECK (balance >= 0),
  updated_at timestamptz NOT NULL
);

-- Every change of a balance, with the balance after it, written in the change's transaction:
-- balance = sum(CHARGE) - sum(PAYMENT) + sum(REFUND) for every user at every moment.
CREATE TABLE ledger (
  id            bigserial PRIMARY KEY,
  user_id       uuid NOT NULL,
  type          text NOT NULL CHECK (type IN ('CHARGE', 'PAYMENT', 'REFUND')),
  amount        bigint NOT NULL CHECK (amount > 0),
  balance_after bigint NOT NULL CHECK (balance_after >= 0),
  payment_id    uuid,
  created_at    timestamptz NOT NULL,
  CHECK ((type = 'CHARGE') = (payment_id IS NULL))
);
-- History, newest first.
CREATE INDEX ledger_by_user ON ledger (user_id, id DESC);

-- PENDING: debited, seat not yet confirmed. COMPLETED: the seat is SOLD for it. FAILED: refunded.
CREATE TABLE payments (
  id             uuid PRIMARY KEY,
  reservation_id bigint NOT NULL,
  user_id        uuid NOT NULL,
  amount         bigint NOT NULL CHECK (amount > 0),
  status         text NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
  queue_token    text,
  created_at     timestamptz NOT NULL,
  completed_at   timestamptz,
  failed_at      timestamptz,
  CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
  CHECK ((status = 'FAILED') = (failed_at IS NOT NULL))
);
-- Last line of defence: at most one live (PENDING or COMPLETED) payment per reservation, so two
-- concurrent payments of one reservation can never both keep their debit.
CREATE UNIQUE INDEX payments_one_live_per_reservation ON payments (reservation_id)
  WHERE status IN ('PENDING', 'COMPLETED');
-- Recovery finds PENDING payments by age without scanning history.
CREATE INDEX payments_pending_by_age ON payments (created_at) WHERE status = 'PENDING';
-- A user's payments, newest first.
CREATE INDEX payments_by_user ON payments (user_id, created_at DESC);

-- Queue tokens still to expire, one per COMPLETED payment that had one; retried until done.
CREATE TABLE token_expiries (
  payment_id      uuid PRIMARY KEY REFERENCES payments (id),
  queue_token     text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  done_at         timestamptz
);
CREATE INDEX token_expiries_due ON token_expiries (next_attempt_at) WHERE done_at IS NULL;

-- Idempotency keys, per user and endpoint (scope), with the first response once there is one.
CREATE TABLE idempotency_keys (
  user_id         uuid NOT NULL,
  scope           text NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  fingerprint     text NOT NULL,
  response_status integer,
  response_body   text,
  started_at      timestamptz NOT NULL,
  PRIMARY KEY (user_id, scope, key),
  CHECK ((response_status IS NULL) = (response_body IS NULL))
);
-- Purging old keys without a scan of the table.
CREATE INDEX idempotency_keys_by_start ON idempotency_keys (started_at);
