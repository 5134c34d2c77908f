-- A concert is performed on one or more dates; each date has its 50 seats.
CREATE TABLE concerts (
  id         bigserial PRIMARY KEY,
  title      text NOT NULL CHECK (length(title) > 0),
  price      bigint NOT NULL CHECK (price >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One concert per date: the primary key is what turns a second concert on a date into DATE_TAKEN.
CREATE TABLE dates (
  date       date PRIMARY KEY,
  concert_id bigint NOT NULL REFERENCES concerts (id)
);
CREATE INDEX dates_by_concert ON dates (concert_id);

-- Every reservation ever made. A HELD one holds its seat until expires_at; it ends CONFIRMED
-- (paid), EXPIRED (lapsed) or CANCELLED (released by its owner).
CREATE TABLE reservations (
  id           bigserial PRIMARY KEY,
  user_id      uuid NOT NULL,
  date         date NOT NULL,
  seat_no      smallint NOT NULL,
  price        bigint NOT NULL CHECK (price >= 0),
  status       text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'EXPIRED', 'CANCELLED')),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  payment_id   text CONSTRAINT reservations_payment_id_unique UNIQUE,
  confirmed_at timestamptz,
  ended_at     timestamptz,
  CHECK ((status = 'CONFIRMED') = (payment_id IS NOT NULL)),
  CHECK ((status = 'CONFIRMED') = (confirmed_at IS NOT NULL)),
  CHECK ((status IN ('EXPIRED', 'CANCELLED')) = (ended_at IS NOT NULL))
);

-- The per-user limit counts a user's reservations of one date.
CREATE INDEX reservations_by_user_date ON reservations (user_id, date);
-- The sweeper finds lapsed holds without scanning history.
CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE status = 'HELD';
-- A hold that takes over a lapsed seat finds the lapsed reservation of that seat.
CREATE INDEX reservations_held_by_seat ON reservations (date, seat_no) WHERE status = 'HELD';
-- Last line of defence: a seat is sold at most once whatever the code does.
CREATE UNIQUE INDEX reservations_one_confirmed_per_seat ON reservations (date, seat_no)
  WHERE status = 'CONFIRMED';

-- A seat as it stands. held_by is the reservation that holds (HELD) or bought (SOLD) it.
-- A HELD seat past hold_expires_at reads AVAILABLE at once; the sweeper tidies it later.
CREATE TABLE seats (
  date            date NOT NULL REFERENCES dates (date),
  seat_no         smallint NOT NULL CHECK (seat_no BETWEEN 1 AND 50),
  price           bigint NOT NULL CHECK (price >= 0),
  status          text NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'HELD', 'SOLD')),
  -- Deferred: a hold sets held_by from nextval before it inserts that reservation.
  held_by         bigint REFERENCES reservations (id) DEFERRABLE INITIALLY DEFERRED,
  hold_expires_at timestamptz,
  PRIMARY KEY (date, seat_no),
  CHECK ((status = 'AVAILABLE') = (held_by IS NULL)),
  CHECK ((status = 'HELD') = (hold_expires_at IS NOT NULL))
);

ALTER TABLE reservations
  ADD FOREIGN KEY (date, seat_no) REFERENCES seats (date, seat_no);
