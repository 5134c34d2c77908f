-- Users are minted by the first token request ("log in").
CREATE TABLE users (
  id         uuid PRIMARY KEY,
  created_at timestamptz NOT NULL
);

-- Every token ever issued. place is the token's place in line, given at issue without gaps.
CREATE TABLE tokens (
  token          text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{32}$'),
  user_id        uuid NOT NULL REFERENCES users (id),
  place          bigint NOT NULL UNIQUE,
  status         text NOT NULL CHECK (status IN ('WAITING', 'ACTIVE', 'EXPIRED', 'DROPPED')),
  issued_at      timestamptz NOT NULL,
  admitted_at    timestamptz,
  expires_at     timestamptz,
  last_polled_at timestamptz NOT NULL,
  ended_at       timestamptz,
  CHECK ((status = 'ACTIVE') <= (expires_at IS NOT NULL))
);

-- One live token per user, enforced by the database as well as by the issuing code.
CREATE UNIQUE INDEX tokens_one_live_per_user ON tokens (user_id)
  WHERE status IN ('WAITING', 'ACTIVE');
-- The head of the line, lapsed admissions and abandoned waiters are found without scanning.
CREATE INDEX tokens_waiting_by_place ON tokens (place) WHERE status = 'WAITING';
CREATE INDEX tokens_active_by_expiry ON tokens (expires_at) WHERE status = 'ACTIVE';
CREATE INDEX tokens_waiting_by_last_poll ON tokens (last_polled_at) WHERE status = 'WAITING';

-- The line itself: one row with its settings and counters, changed only under the line's
-- advisory lock, so counters always match the tokens.
CREATE TABLE line (
  id                    smallint PRIMARY KEY CHECK (id = 1),
  capacity              bigint NOT NULL CHECK (capacity >= 0),
  capacity_set_by_admin boolean NOT NULL DEFAULT false,
  paused                boolean NOT NULL DEFAULT false,
  active                bigint NOT NULL DEFAULT 0 CHECK (active >= 0),
  waiting               bigint NOT NULL DEFAULT 0 CHECK (waiting >= 0),
  last_place            bigint NOT NULL DEFAULT 0,
  served_place          bigint NOT NULL DEFAULT 0,
  admitted_total        bigint NOT NULL DEFAULT 0,
  expired_total         bigint NOT NULL DEFAULT 0,
  dropped_total         bigint NOT NULL DEFAULT 0
);

-- Places of dropped tokens still ahead of the served counter, so every replica can subtract
-- them from positions; pruned once the counter passes them.
CREATE TABLE dropped_places (
  sequence bigserial PRIMARY KEY,
  place    bigint NOT NULL
);
