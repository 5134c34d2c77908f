"""The invariants the database itself must show after recovery, checked in SQL as the superuser
across the concert, payment and queue schemas."""

from invariant import from_rows

SOLD_TWICE = """
SELECT date, seat_no, count(*), string_agg(id::text, ',')
FROM concert.reservations WHERE status::text = 'CONFIRMED'
GROUP BY date, seat_no HAVING count(*) > 1"""

# A SOLD seat: held by a CONFIRMED reservation of that seat, with exactly one COMPLETED payment,
# of the reservation's owner, the one the reservation was confirmed for.
SOLD_WITHOUT_ITS_PAYMENT = """
WITH sold AS (
  SELECT s.date, s.seat_no, r.id AS reservation, r.status::text AS status, r.user_id,
         r.payment_id, r.date AS r_date, r.seat_no AS r_seat,
         (SELECT count(*) FROM payment.payments p
           WHERE p.reservation_id = r.id AND p.status::text = 'COMPLETED') AS completed,
         (SELECT count(*) FROM payment.payments p
           WHERE p.reservation_id = r.id AND p.status::text = 'COMPLETED'
             AND p.user_id = r.user_id AND p.id::text = r.payment_id) AS owners
  FROM concert.seats s LEFT JOIN concert.reservations r ON r.id = s.held_by
  WHERE s.status::text = 'SOLD')
SELECT date, seat_no, reservation, status, user_id, payment_id, completed, owners FROM sold
WHERE status IS DISTINCT FROM 'CONFIRMED' OR r_date <> date OR r_seat <> seat_no
   OR completed <> 1 OR owners <> 1"""

# The other way round: a COMPLETED payment's seat is SOLD for it (else points were taken for no
# seat), and a CONFIRMED reservation's seat is SOLD to it.
COMPLETED_WITHOUT_SEAT = """
SELECT p.id, p.reservation_id, p.user_id, r.status::text, r.payment_id, s.status::text, s.held_by
FROM payment.payments p
LEFT JOIN concert.reservations r ON r.id = p.reservation_id
LEFT JOIN concert.seats s ON s.date = r.date AND s.seat_no = r.seat_no
WHERE p.status::text = 'COMPLETED'
  AND (r.id IS NULL OR r.status::text <> 'CONFIRMED' OR r.payment_id IS DISTINCT FROM p.id::text
       OR r.user_id <> p.user_id OR s.status::text <> 'SOLD' OR s.held_by <> r.id)"""

CONFIRMED_NOT_SOLD = """
SELECT r.id, r.date, r.seat_no, s.status::text, s.held_by
FROM concert.reservations r JOIN concert.seats s ON s.date = r.date AND s.seat_no = r.seat_no
WHERE r.status::text = 'CONFIRMED' AND (s.status::text <> 'SOLD' OR s.held_by <> r.id)"""

PENDING = """
SELECT id, reservation_id, user_id, created_at FROM payment.payments
WHERE status::text = 'PENDING' ORDER BY created_at"""

# balance = charges - payments + refunds, never negative, and the last entry's balance_after.
BALANCE_NOT_LEDGER = """
WITH sums AS (
  SELECT user_id,
         sum(CASE type::text WHEN 'PAYMENT' THEN -amount ELSE amount END) AS total,
         min(balance_after) AS lowest
  FROM payment.ledger GROUP BY user_id),
latest AS (
  SELECT DISTINCT ON (user_id) user_id, balance_after FROM payment.ledger ORDER BY user_id, id DESC)
SELECT coalesce(b.user_id, s.user_id), b.balance, s.total, s.lowest, l.balance_after
FROM payment.balances b
FULL JOIN sums s ON s.user_id = b.user_id
LEFT JOIN latest l ON l.user_id = coalesce(b.user_id, s.user_id)
WHERE coalesce(b.balance, 0) <> coalesce(s.total, 0) OR b.balance < 0 OR s.lowest < 0
   OR coalesce(l.balance_after, 0) <> coalesce(b.balance, 0)"""

# A COMPLETED payment debited once and never refunded; a FAILED one debited and refunded once.
PAYMENT_NOT_LEDGER = """
SELECT p.id, p.status::text, p.amount,
       count(l.id) FILTER (WHERE l.type::text = 'PAYMENT') AS debits,
       count(l.id) FILTER (WHERE l.type::text = 'REFUND') AS refunds,
       coalesce(sum(l.amount) FILTER (WHERE l.amount <> p.amount), 0) AS wrong_amounts
FROM payment.payments p LEFT JOIN payment.ledger l ON l.payment_id = p.id
GROUP BY p.id, p.status, p.amount
HAVING count(l.id) FILTER (WHERE l.type::text = 'PAYMENT') <> 1
    OR count(l.id) FILTER (WHERE l.type::text = 'REFUND') <> (p.status::text = 'FAILED')::int
    OR count(l.id) FILTER (WHERE l.amount <> p.amount) > 0
UNION ALL
SELECT l.payment_id, 'NO PAYMENT ROW', l.amount, 1, 0, 0
FROM payment.ledger l
WHERE l.payment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment.payments p WHERE p.id = l.payment_id)"""

# Admission follows the order of issue: no token admitted before an earlier place was.
ADMITTED_OUT_OF_ORDER = """
SELECT place, admitted_at, earlier_latest FROM (
  SELECT place, admitted_at,
         max(admitted_at) OVER (ORDER BY place ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           AS earlier_latest
  FROM queue.tokens WHERE admitted_at IS NOT NULL) t
WHERE admitted_at < earlier_latest ORDER BY place"""


def check(postgres):
    q = postgres.query
    sold_pairs = q(SOLD_WITHOUT_ITS_PAYMENT) + [["reverse"] + r for r in q(COMPLETED_WITHOUT_SEAT)]
    sold_pairs += [["confirmed, seat not sold"] + r for r in q(CONFIRMED_NOT_SOLD)]
    return [
        from_rows("no seat SOLD twice", q(SOLD_TWICE),
                  lambda r: f"{r[0]} seat {r[1]}: {r[2]} CONFIRMED reservations ({r[3]})"),
        from_rows("SOLD seat <-> one COMPLETED payment of its owner", sold_pairs,
                  lambda r: " | ".join(str(c) for c in r)),
        from_rows("no PENDING payment after recovery", q(PENDING),
                  lambda r: f"payment {r[0]} reservation {r[1]} user {r[2]} since {r[3]}"),
        from_rows("balance = CHARGE - PAYMENT + REFUND, never negative", q(BALANCE_NOT_LEDGER),
                  lambda r: f"user {r[0]}: balance {r[1]}, ledger sum {r[2]}, "
                            f"lowest balance_after {r[3]}, last balance_after {r[4]}"),
        from_rows("payments match their ledger entries", q(PAYMENT_NOT_LEDGER),
                  lambda r: f"payment {r[0]} {r[1]} amount {r[2]}: {r[3]} debits, {r[4]} refunds"),
        from_rows("admission in order of issue", q(ADMITTED_OUT_OF_ORDER),
                  lambda r: f"place {r[0]} admitted {r[1]}, an earlier place at {r[2]}"),
    ]
