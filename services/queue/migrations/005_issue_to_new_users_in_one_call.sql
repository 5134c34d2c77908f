-- Token issue for a batch of new visitors (no user id given: each request mints its user) in one
-- call, so in one round trip and, run in autocommit, one commit: the common case when a sale
-- opens. Batches with a returning user keep the transaction of several statements, whose rules
-- (the user's live token, a lapsed one ended) need the C++ side.
--
-- The same rules as that transaction, which applies the domain's admit_on_arrival:
-- - the users are inserted before the line lock is taken (they take no place in line);
-- - under the line's advisory lock the line's row is read, the tokens get the next places in
--   the order of the arrays, and the first `admitted` of them are ACTIVE at once: none while
--   anyone waits or the line is paused, else as many as free capacity allows;
-- - the line's counters move with them, in the same transaction.
-- Times are read under the lock: the caller's time, but never before the newest token's issue
-- nor the line's latest admission, so issue and admission times follow the order of the line
-- whichever replica's clock is behind.
--
-- Returns one row per request, in order: the token's status and place, the served place after
-- the batch, and the time used (microseconds since the epoch, as everywhere the service passes
-- them).
CREATE FUNCTION issue_to_new_users(p_lock_key bigint, p_users uuid[], p_tokens text[],
                                   p_now_us bigint, p_ttl_us bigint)
RETURNS TABLE (out_status text, out_place bigint, out_served_place bigint, out_now_us bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  -- A record, not line%ROWTYPE: the name line also denotes pg_catalog's geometric type.
  l record;
  v_count bigint := cardinality(p_users);
  v_admitted bigint;
  v_served bigint;
  v_now timestamptz;
BEGIN
  INSERT INTO users (id, created_at)
  SELECT u, to_timestamp(p_now_us / 1000000.0) FROM unnest(p_users) AS u;

  PERFORM pg_advisory_xact_lock(p_lock_key);
  SELECT * INTO l FROM line WHERE id = 1;
  SELECT greatest(to_timestamp(p_now_us / 1000000.0), max(t.issued_at), max(t.admitted_at))
    INTO v_now
    FROM tokens t WHERE t.place IN (l.last_place, l.served_place);

  v_admitted := CASE WHEN l.waiting > 0 OR l.paused THEN 0
                     ELSE least(v_count, greatest(0, l.capacity - l.active)) END;
  v_served := CASE WHEN v_admitted > 0 THEN greatest(l.served_place, l.last_place + v_admitted)
                   ELSE l.served_place END;

  INSERT INTO tokens (token, user_id, place, status, issued_at, admitted_at, expires_at,
                      last_polled_at)
  SELECT t.token, t.u, l.last_place + t.i,
         CASE WHEN t.i <= v_admitted THEN 'ACTIVE' ELSE 'WAITING' END, v_now,
         CASE WHEN t.i <= v_admitted THEN v_now END,
         CASE WHEN t.i <= v_admitted THEN v_now + make_interval(secs => p_ttl_us / 1000000.0) END,
         v_now
    FROM unnest(p_tokens, p_users) WITH ORDINALITY AS t(token, u, i);

  UPDATE line SET active = active + v_admitted, waiting = waiting + v_count - v_admitted,
                  last_place = last_place + v_count, served_place = v_served,
                  admitted_total = admitted_total + v_admitted
   WHERE id = 1;

  RETURN QUERY
    SELECT CASE WHEN i <= v_admitted THEN 'ACTIVE' ELSE 'WAITING' END, l.last_place + i,
           v_served, (extract(epoch FROM v_now) * 1000000)::bigint
      FROM generate_series(1::bigint, v_count) AS i;
END
$$;
