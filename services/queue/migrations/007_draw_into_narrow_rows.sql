-- The opening's draw writes one narrow row per early token (drawn_places) instead of rewriting
-- every early token's wide row with its five indexes: 1,000,000 early tokens took a minute.
-- An early token keeps place NULL until something writes its row anyway (admission, a drop, an
-- end), which then stores its drawn place; until then its place is the drawn one, read through
-- drawn_place_of. Every statement that reads a token's place reads
--   coalesce(place, drawn_place_of(opening_number, arrival_number)).

-- Openings are numbered, so arrival numbers (1..early_count in each opening) stay unambiguous.
ALTER TABLE line ADD COLUMN opening_number bigint NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN opening_number bigint;
-- Before this migration a draw placed every early token, so an unplaced one is of the pending
-- opening: number 1.
UPDATE line SET opening_number = 1 WHERE opening_seed IS NOT NULL;
UPDATE tokens SET opening_number = 1 WHERE place IS NULL;
ALTER TABLE tokens ADD CHECK (place IS NOT NULL OR opening_number IS NOT NULL);

-- Early tokens take the number of the opening they wait for, in both issue paths.
CREATE FUNCTION number_early_token() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  NEW.opening_number := (SELECT opening_number FROM line WHERE id = 1);
  RETURN NEW;
END
$$;
CREATE TRIGGER early_token_numbered BEFORE INSERT ON tokens
  FOR EACH ROW WHEN (NEW.arrival_number IS NOT NULL AND NEW.place IS NULL)
  EXECUTE FUNCTION number_early_token();

-- The places an opening drew (base + the HMAC rank of each arrival number), once by place and
-- once by arrival, so that the draw fills each index in its own order (one table with both
-- indexes took twice as long, its second index filled at random). By arrival they are packed
-- 128 to a row, the places of arrival numbers 128 * chunk + 1.. in order: a lookup reads one
-- row of about 1 KiB, and the draw writes 1/128 of the rows.
CREATE TABLE drawn_places (
  drawn_place    bigint PRIMARY KEY,
  opening_number bigint NOT NULL,
  arrival_number bigint NOT NULL
);
CREATE TABLE drawn_places_by_arrival (
  opening_number bigint NOT NULL,
  chunk          bigint NOT NULL,
  drawn_places   bigint[] NOT NULL CHECK (cardinality(drawn_places) BETWEEN 1 AND 128),
  PRIMARY KEY (opening_number, chunk)
);

-- Unplaced early tokens by arrival (the admission pass joins drawn places to them), and those
-- that ended before their draw (the draw records their places as dropped).
DROP INDEX tokens_awaiting_draw;
CREATE INDEX tokens_unplaced_early ON tokens (opening_number, arrival_number)
  WHERE place IS NULL;
CREATE INDEX tokens_ended_unplaced ON tokens (opening_number)
  WHERE place IS NULL AND status <> 'WAITING';

-- The drawn place of an early token; NULL before its opening's draw.
CREATE FUNCTION drawn_place_of(p_opening bigint, p_arrival bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT drawn_places[(p_arrival - 1) % 128 + 1] FROM drawn_places_by_arrival
   WHERE opening_number = p_opening AND chunk = (p_arrival - 1) / 128
$$;

-- A token's place in line, for tools and tests: SELECT queue.place_in_line(t) FROM queue.tokens t.
CREATE FUNCTION place_in_line(p_token tokens) RETURNS bigint
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT coalesce(p_token.place, drawn_place_of(p_token.opening_number, p_token.arrival_number))
$$;

-- The same order as migration 006's drawn_order, computed in one SQL query the planner sees
-- whole: the PL/pgSQL version took twice as long for 1,000,000.
-- textsend gives a number's decimal digits as bytes, as convert_to(..., 'UTF8') did. Neither
-- STRICT nor SET: either would keep the planner from inlining it; hence the schema's name.
CREATE OR REPLACE FUNCTION drawn_order(p_seed bytea, p_count bigint)
RETURNS TABLE (arrival_number bigint, drawn_place bigint)
LANGUAGE sql STABLE AS $$
  SELECT a, row_number() OVER (
           ORDER BY sha256(pads.outer_pad || sha256(pads.inner_pad || textsend(a::text))))
    FROM (SELECT queue.hmac_sha256_pad(p_seed, 54) AS inner_pad,
                 queue.hmac_sha256_pad(p_seed, 92) AS outer_pad) AS pads,
         generate_series(1::bigint, p_count) AS a
$$;

-- The opening's draw, once it is due: the drawn order (still drawn_order, the spec's HMAC order)
-- goes into drawn_places behind everyone placed so far; the early tokens that ended before it
-- take their places in their rows, recorded as dropped so positions skip them; the last drawn
-- place's token takes it too, since token issue reads the time of the token at last_place. The
-- caller holds the line lock, so exactly one transaction of one replica draws, and its commit
-- makes the whole draw or none of it. Returns the number of early tokens, or -1 when not due.
CREATE OR REPLACE FUNCTION draw_if_due(p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT SET work_mem = '256MB' AS $$
DECLARE
  l record;
BEGIN
  SELECT * INTO l FROM line WHERE id = 1;
  IF NOT l.opening_pending OR l.opens_at > p_now THEN
    RETURN -1;
  END IF;
  WITH drawn AS (
    SELECT l.last_place + d.drawn_place AS drawn_place, d.arrival_number
      FROM drawn_order(l.opening_seed, l.early_count) AS d),
  -- drawn_order yields its rows by place already (its window's order): no second sort.
  by_place AS (
    INSERT INTO drawn_places (drawn_place, opening_number, arrival_number)
    SELECT drawn_place, l.opening_number, arrival_number FROM drawn)
  INSERT INTO drawn_places_by_arrival (opening_number, chunk, drawn_places)
  SELECT l.opening_number, (arrival_number - 1) / 128,
         array_agg(drawn_place ORDER BY arrival_number)
    FROM drawn GROUP BY (arrival_number - 1) / 128;
  WITH ended AS (
    UPDATE tokens t SET place = drawn_place_of(t.opening_number, t.arrival_number)
     WHERE t.place IS NULL AND t.status <> 'WAITING' AND t.opening_number = l.opening_number
    RETURNING t.place)
  INSERT INTO dropped_places (place) SELECT place FROM ended ORDER BY place;
  UPDATE tokens t SET place = d.drawn_place
    FROM drawn_places d
   WHERE d.drawn_place = l.last_place + l.early_count AND t.place IS NULL
     AND t.opening_number = d.opening_number AND t.arrival_number = d.arrival_number;
  UPDATE line SET last_place = last_place + l.early_count, opening_pending = false WHERE id = 1;
  RETURN l.early_count;
END
$$;

-- Every replica keeps a picture of the line (LineView) that polls read. A change an admin makes
-- (opening, capacity, pause) or the draw is announced on this channel when it commits, so every
-- replica refreshes its picture at once instead of at its next admission pass.
CREATE FUNCTION announce_line_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('queue_line_changed', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER line_change_announced AFTER UPDATE ON line
  FOR EACH ROW WHEN (OLD.opens_at IS DISTINCT FROM NEW.opens_at
                     OR OLD.opening_pending IS DISTINCT FROM NEW.opening_pending
                     OR OLD.capacity IS DISTINCT FROM NEW.capacity
                     OR OLD.paused IS DISTINCT FROM NEW.paused)
  EXECUTE FUNCTION announce_line_change();
