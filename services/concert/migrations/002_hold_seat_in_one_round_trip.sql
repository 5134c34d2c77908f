-- A hold in one round trip: the advisory lock on (user, date), the user's count, the seat's
-- conditional UPDATE and the reservation INSERT run inside the database, in one implicit
-- transaction, instead of six statements from the service. Semantics are those of the domain:
-- a reservation counts toward the limit while CONFIRMED or HELD and not lapsed
-- (counts_toward_limit); a seat is free when AVAILABLE or HELD past its expiry (status_at).
-- Each statement of a plpgsql function takes a new snapshot, so the count, read after the lock,
-- sees every hold of this user committed before the lock was granted.
CREATE FUNCTION hold_seat(p_user uuid, p_date date, p_seat_no int, p_now timestamptz,
                          p_expires_at timestamptz, p_max_per_user int)
RETURNS TABLE (out_outcome text, out_reservation_id bigint, out_price bigint,
               out_concert_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_count int;
  v_id bigint;
  v_price bigint;
BEGIN
  -- Class 1668247139 ("conc") keeps these keys apart from other advisory locks.
  PERFORM pg_advisory_xact_lock(1668247139, hashtext(p_user::text || '/' || p_date::text));

  SELECT count(*) INTO v_count FROM reservations r
   WHERE r.user_id = p_user AND r.date = p_date
     AND (r.status = 'CONFIRMED' OR (r.status = 'HELD' AND r.expires_at > p_now));
  IF v_count >= p_max_per_user THEN
    RETURN QUERY SELECT 'SEAT_LIMIT_REACHED'::text, NULL::bigint, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;

  -- The one conditional write that picks the winner among concurrent holds of a seat: only the
  -- seat's row is locked, so holds of other seats never wait for it.
  UPDATE seats s SET status = 'HELD', held_by = nextval('reservations_id_seq'),
                     hold_expires_at = p_expires_at
   WHERE s.date = p_date AND s.seat_no = p_seat_no
     AND (s.status = 'AVAILABLE' OR (s.status = 'HELD' AND s.hold_expires_at <= p_now))
  RETURNING s.held_by, s.price INTO v_id, v_price;
  IF NOT FOUND THEN
    IF EXISTS (SELECT 1 FROM dates d WHERE d.date = p_date) THEN
      RETURN QUERY SELECT 'SEAT_UNAVAILABLE'::text, NULL::bigint, NULL::bigint, NULL::bigint;
    ELSE
      RETURN QUERY SELECT 'DATE_NOT_FOUND'::text, NULL::bigint, NULL::bigint, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  -- The lapsed hold this one replaces reads EXPIRED. Skips a reservation another transaction has
  -- locked (a confirm, cancel or sweep that ends it itself), so this seat-then-reservation order
  -- never deadlocks with their reservation-then-seat order.
  UPDATE reservations r SET status = 'EXPIRED', ended_at = p_now
   WHERE r.id IN (SELECT x.id FROM reservations x
                   WHERE x.date = p_date AND x.seat_no = p_seat_no AND x.status = 'HELD'
                     AND x.expires_at <= p_now
                   FOR UPDATE SKIP LOCKED);

  INSERT INTO reservations (id, user_id, date, seat_no, price, status, created_at, expires_at)
  VALUES (v_id, p_user, p_date, p_seat_no, v_price, 'HELD', p_now, p_expires_at);

  RETURN QUERY SELECT 'HELD'::text, v_id, v_price,
                      (SELECT d.concert_id FROM dates d WHERE d.date = p_date);
END
$$;
