-- Token issue takes the line lock and then reads the line's row. This function does both in one
-- round trip, which matters because issues wait for one another on that lock. The SELECT runs
-- once the lock is granted and, as each statement of a VOLATILE function takes a snapshot of
-- its own, it sees everything the previous holder committed.
CREATE FUNCTION lock_and_read_line(p_lock_key bigint)
RETURNS TABLE (capacity bigint, paused boolean, active bigint, waiting bigint,
               last_place bigint, served_place bigint, admitted_total bigint,
               expired_total bigint, dropped_total bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(p_lock_key);
  RETURN QUERY
    SELECT l.capacity, l.paused, l.active, l.waiting, l.last_place, l.served_place,
           l.admitted_total, l.expired_total, l.dropped_total
      FROM line l WHERE l.id = 1;
END
$$;
