-- Sale day (product-spec.md): an opening time with its secret seed, the early crowd's arrival
-- numbers and the draw that gives them their places; and what the concert service last said
-- about seats, so that every replica admits by the same knowledge.
ALTER TABLE line
  ADD COLUMN opens_at        timestamptz,
  ADD COLUMN opening_seed    bytea CHECK (octet_length(opening_seed) = 32),
  -- Early tokens wait for the draw (made once opens_at has passed).
  ADD COLUMN opening_pending boolean NOT NULL DEFAULT false,
  -- Arrival numbers given in the latest opening: 1..early_count.
  ADD COLUMN early_count     bigint NOT NULL DEFAULT 0 CHECK (early_count >= 0),
  -- Seats AVAILABLE and HELD on dates from today on, as seen at seats_seen_at; NULL: unknown.
  ADD COLUMN seats_available bigint,
  ADD COLUMN seats_held      bigint,
  ADD COLUMN seats_seen_at   timestamptz,
  ADD CHECK (opening_pending <= (opens_at IS NOT NULL AND opening_seed IS NOT NULL));

-- An early token has no place until the draw gives it one, and never is ACTIVE without one.
ALTER TABLE tokens
  ALTER COLUMN place DROP NOT NULL,
  ADD COLUMN arrival_number bigint CHECK (arrival_number >= 1),
  ADD CHECK (place IS NOT NULL OR (status <> 'ACTIVE' AND arrival_number IS NOT NULL));
CREATE INDEX tokens_awaiting_draw ON tokens (arrival_number) WHERE place IS NULL;

-- The pads of HMAC-SHA256 (RFC 2104): the key, hashed first when longer than SHA-256's 64-byte
-- block, zero-filled to 64 bytes, each byte XOR `p_pad` (0x36 inner, 0x5c outer).
CREATE FUNCTION hmac_sha256_pad(p_key bytea, p_pad integer) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  v_key bytea := CASE WHEN octet_length(p_key) > 64 THEN sha256(p_key) ELSE p_key END;
  v_block bytea;
BEGIN
  v_block := v_key || decode(repeat('00', 64 - octet_length(v_key)), 'hex');
  FOR i IN 0..63 LOOP
    v_block := set_byte(v_block, i, get_byte(v_block, i) # p_pad);
  END LOOP;
  RETURN v_block;
END
$$;

-- HMAC-SHA256(key, message) from PostgreSQL's built-in sha256(); checked against RFC 4231.
CREATE FUNCTION hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS $$
  SELECT sha256(hmac_sha256_pad(p_key, 92) || sha256(hmac_sha256_pad(p_key, 54) || p_message))
$$;

-- The early places, a function of the seed and the early count alone (product-spec.md, "A
-- shuffle anyone can check"): arrival numbers 1..p_count sorted by HMAC-SHA256(seed, the number
-- as decimal ASCII), ascending, take places 1..p_count. The pads are made once, not per number.
CREATE FUNCTION drawn_order(p_seed bytea, p_count bigint)
RETURNS TABLE (arrival_number bigint, drawn_place bigint)
LANGUAGE plpgsql STABLE STRICT SET search_path FROM CURRENT AS $$
DECLARE
  v_inner bytea := hmac_sha256_pad(p_seed, 54);
  v_outer bytea := hmac_sha256_pad(p_seed, 92);
BEGIN
  RETURN QUERY
    SELECT a, row_number() OVER (
             ORDER BY sha256(v_outer || sha256(v_inner || convert_to(a::text, 'UTF8'))))
      FROM generate_series(1::bigint, p_count) AS a;
END
$$;

-- The opening's draw, once it is due: every early token (waiting or ended since) takes its
-- drawn place behind everyone placed so far, in one statement; the places of those that left
-- are recorded as dropped, so positions skip them. The caller holds the line lock, so exactly
-- one transaction of one replica draws, and its commit makes the whole draw or none of it.
-- Returns the number of early tokens placed, or -1 when no draw was due.
CREATE FUNCTION draw_if_due(p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
DECLARE
  l record;
BEGIN
  SELECT * INTO l FROM line WHERE id = 1;
  IF NOT l.opening_pending OR l.opens_at > p_now THEN
    RETURN -1;
  END IF;
  WITH placed AS (
    UPDATE tokens t SET place = l.last_place + d.drawn_place
      FROM drawn_order(l.opening_seed, l.early_count) AS d
     WHERE t.place IS NULL AND t.arrival_number = d.arrival_number
    RETURNING t.place, t.status)
  INSERT INTO dropped_places (place)
  SELECT place FROM placed WHERE status <> 'WAITING' ORDER BY place;
  UPDATE line SET last_place = last_place + l.early_count, opening_pending = false WHERE id = 1;
  RETURN l.early_count;
END
$$;

-- The line lock, a due draw, then the line's row: what every issue starts with, in one round
-- trip. `p_now` is the caller's time; the draw uses it as it is (a token issued at or after
-- opens_at by any clock finds the draw made before it takes a place).
CREATE FUNCTION lock_draw_and_read_line(p_lock_key bigint, p_now timestamptz)
RETURNS TABLE (capacity bigint, paused boolean, active bigint, waiting bigint,
               last_place bigint, served_place bigint, admitted_total bigint,
               expired_total bigint, dropped_total bigint, opens_at_us bigint,
               opening_pending boolean, early_count bigint, seats_available bigint,
               seats_held bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_key);
  PERFORM draw_if_due(p_now);
  RETURN QUERY
    SELECT l.capacity, l.paused, l.active, l.waiting, l.last_place, l.served_place,
           l.admitted_total, l.expired_total, l.dropped_total,
           (extract(epoch FROM l.opens_at) * 1000000)::bigint, l.opening_pending, l.early_count,
           l.seats_available, l.seats_held
      FROM line l WHERE l.id = 1;
END
$$;

-- Token issue for a batch of new visitors (migration 005), now with the sale day's rules:
-- - a due draw is made first, so a token issued at or after opens_at queues behind the early
--   crowd;
-- - while the opening is pending the tokens are early: no place, the next arrival numbers,
--   WAITING;
-- - nobody is admitted at issue while the opening is pending or no seat is AVAILABLE.
DROP FUNCTION issue_to_new_users(bigint, uuid[], text[], bigint, bigint);
CREATE FUNCTION issue_to_new_users(p_lock_key bigint, p_users uuid[], p_tokens text[],
                                   p_now_us bigint, p_ttl_us bigint)
RETURNS TABLE (out_status text, out_place bigint, out_served_place bigint, out_now_us bigint,
               out_arrival_number bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  l record;
  v_count bigint := cardinality(p_users);
  v_admitted bigint;
  v_served bigint;
  v_now timestamptz;
  v_early boolean;
BEGIN
  INSERT INTO users (id, created_at)
  SELECT u, to_timestamp(p_now_us / 1000000.0) FROM unnest(p_users) AS u;

  PERFORM pg_advisory_xact_lock(p_lock_key);
  SELECT * INTO l FROM line WHERE id = 1;
  SELECT greatest(to_timestamp(p_now_us / 1000000.0), max(t.issued_at), max(t.admitted_at))
    INTO v_now
    FROM tokens t WHERE t.place IN (l.last_place, l.served_place);
  IF draw_if_due(v_now) >= 0 THEN
    SELECT * INTO l FROM line WHERE id = 1;
  END IF;
  v_early := l.opening_pending;

  v_admitted := CASE WHEN l.waiting > 0 OR l.paused OR v_early OR l.seats_available = 0 THEN 0
                     ELSE least(v_count, greatest(0, l.capacity - l.active)) END;
  v_served := CASE WHEN v_admitted > 0 THEN greatest(l.served_place, l.last_place + v_admitted)
                   ELSE l.served_place END;

  INSERT INTO tokens (token, user_id, place, status, issued_at, admitted_at, expires_at,
                      last_polled_at, arrival_number)
  SELECT t.token, t.u, CASE WHEN NOT v_early THEN l.last_place + t.i END,
         CASE WHEN t.i <= v_admitted THEN 'ACTIVE' ELSE 'WAITING' END, v_now,
         CASE WHEN t.i <= v_admitted THEN v_now END,
         CASE WHEN t.i <= v_admitted THEN v_now + make_interval(secs => p_ttl_us / 1000000.0) END,
         v_now, CASE WHEN v_early THEN l.early_count + t.i END
    FROM unnest(p_tokens, p_users) WITH ORDINALITY AS t(token, u, i);

  UPDATE line SET active = active + v_admitted, waiting = waiting + v_count - v_admitted,
                  last_place = last_place + CASE WHEN v_early THEN 0 ELSE v_count END,
                  early_count = early_count + CASE WHEN v_early THEN v_count ELSE 0 END,
                  served_place = v_served, admitted_total = admitted_total + v_admitted
   WHERE id = 1;

  RETURN QUERY
    SELECT CASE WHEN i <= v_admitted THEN 'ACTIVE' ELSE 'WAITING' END,
           CASE WHEN v_early THEN 0 ELSE l.last_place + i END,
           v_served, (extract(epoch FROM v_now) * 1000000)::bigint,
           CASE WHEN v_early THEN l.early_count + i END
      FROM generate_series(1::bigint, v_count) AS i;
END
$$;
