"""Keyed charges and payments against the ledger: every acknowledged one in it exactly once,
every key answered the same each time, every answer true to what happened."""

from collections import Counter

from history import describe_answers, is_definitive
from invariant import Invariant


def final_answer(operation):
    """(status, code, json) of the key: its first final answer, else the repeat after recovery."""
    first = operation.first_answer()
    if first is not None:
        return first[2], first[3], first[4]
    if operation.replay is not None and is_definitive(operation.replay[0], operation.replay[1]):
        return operation.replay
    return None


def _ledger_charges(postgres, keyed):
    key = "idempotency_key" if keyed else "NULL"
    return postgres.query(f"SELECT user_id, amount, {key} FROM payment.ledger "
                          "WHERE type::text = 'CHARGE'")


def _payments(postgres, keyed):
    key = "idempotency_key" if keyed else "NULL"
    rows = postgres.query(
        f"SELECT p.id, p.reservation_id, p.user_id, p.status::text, {key}, "
        "(SELECT count(*) FROM payment.ledger l WHERE l.payment_id = p.id AND l.type::text = 'PAYMENT'), "
        "(SELECT count(*) FROM payment.ledger l WHERE l.payment_id = p.id AND l.type::text = 'REFUND'), "
        "p.queue_token FROM payment.payments p")
    return {r[0]: r for r in rows}


def check(postgres, history):
    notes = []
    ledger_keyed = postgres.column_exists("payment", "ledger", "idempotency_key")
    payments_keyed = postgres.column_exists("payment", "payments", "idempotency_key")
    if not ledger_keyed:
        notes.append("payment.ledger has no idempotency_key column: charges matched by amount "
                     "(each charge of a user has its own amount)")
    if not payments_keyed:
        notes.append("payment.payments has no idempotency_key column: payments matched by id")
    charges = [op for op in history.keyed if op.kind == "charge"]
    pays = [op for op in history.keyed if op.kind == "pay"]
    payments = _payments(postgres, payments_keyed)
    return [
        _charges_in_ledger(charges, _ledger_charges(postgres, ledger_keyed)),
        _payments_in_ledger(pays, payments),
        _same_answer(history.keyed),
        _answers_true(charges, pays, payments),
        _repeat_after_token_used(postgres, pays, payments),
    ], notes


def _charges_in_ledger(charges, rows):
    by_key = Counter((r[0], r[2]) for r in rows if r[2] is not None)
    by_amount = Counter((r[0], int(r[1])) for r in rows if r[2] is None)
    explained_keys, explained_amounts = set(), set()
    details, violations = [], 0
    for op in charges:
        found = by_key[(op.user, op.key)] + by_amount[(op.user, op.amount)]
        explained_keys.add((op.user, op.key))
        explained_amounts.add((op.user, op.amount))
        answer = final_answer(op)
        acknowledged = answer is not None and answer[0] == 200
        if (acknowledged and found != 1) or found > 1:
            violations += 1
            details.append(f"charge {op.key} amount {op.amount}: "
                           f"{'acknowledged' if acknowledged else 'not acknowledged'}, "
                           f"{found} CHARGE entries; answers {_statuses(op)}")
    for (user, key), count in by_key.items():
        if (user, key) not in explained_keys:
            violations += 1
            details.append(f"{count} CHARGE entries of user {user} under key {key} nobody sent")
    for (user, amount), count in by_amount.items():
        if (user, amount) not in explained_amounts:
            violations += 1
            details.append(f"{count} CHARGE entries of user {user} amount {amount} nobody asked for")
    acknowledged = sum(1 for op in charges if (final_answer(op) or (0,))[0] == 200)
    return Invariant("every acknowledged charge in the ledger exactly once", violations, details,
                     f"{acknowledged} acknowledged of {len(charges)} keys")


def _payments_in_ledger(pays, payments):
    details, violations, acknowledged = [], 0, 0
    for op in pays:
        answer = final_answer(op)
        if answer is None or answer[0] != 201:
            continue
        acknowledged += 1
        payment_id = (answer[2] or {}).get("paymentId")
        row = payments.get(payment_id)
        problem = None
        if row is None:
            problem = "no such payment"
        elif row[3] != "COMPLETED" or int(row[5]) != 1 or int(row[6]) != 0:
            problem = f"{row[3]} with {row[5]} debits and {row[6]} refunds"
        elif row[2] != op.user or int(row[1]) != op.reservation_id:
            problem = f"belongs to user {row[2]} reservation {row[1]}"
        elif row[4] is not None and row[4] != op.key:
            problem = f"recorded under key {row[4]}"
        if problem:
            violations += 1
            details.append(f"payment {payment_id} (key {op.key}): {problem}")
    return Invariant("every acknowledged payment in the ledger exactly once", violations, details,
                     f"{acknowledged} acknowledged of {len(pays)} keys")


def _statuses(op):
    return describe_answers(op.attempts) + (
        f"; repeat after recovery {op.replay[0]} {op.replay[1] or ''}".rstrip() if op.replay else "")


def _same_answer(operations):
    details, violations = [], 0
    for op in operations:
        answers = [(a[2], a[4]) for a in op.definitive()]
        if op.replay is not None and is_definitive(op.replay[0], op.replay[1]):
            answers.append((op.replay[0], op.replay[2]))
        if any(a != answers[0] for a in answers[1:]):
            violations += 1
            details.append(f"{op.kind} key {op.key}: {_statuses(op)}")
    return Invariant("a repeated key gets the first answer", violations, details)


def _answers_true(charges, pays, payments):
    completed = {int(r[1]): r[0] for r in payments.values() if r[3] == "COMPLETED"}
    details, violations = [], 0
    for op in charges + pays:
        answer = final_answer(op)
        if answer is None:
            wrong = "never answered, even after recovery"
        elif op.kind == "charge":
            wrong = None if answer[0] == 200 else "a valid charge refused"
        else:
            paid = completed.get(op.reservation_id)
            given = (answer[2] or {}).get("paymentId") if answer[0] == 201 else None
            if paid is not None and given != paid:
                wrong = f"reservation paid by {paid}, the key's answer says otherwise"
            elif paid is None and answer[0] not in (410, 402):
                wrong = "no payment completed, yet not 410/402"
            else:
                wrong = None
        if wrong:
            violations += 1
            details.append(f"{op.kind} key {op.key}: {wrong}; answers {_statuses(op)}")
    return Invariant("each keyed answer is true to what happened", violations, details)


def _repeat_after_token_used(postgres, pays, payments):
    """A repeat of a payment whose own completion ended its token gets the payment, not a 401."""
    refused = []
    for op in pays:
        answer = final_answer(op)
        payment = payments.get((answer[2] or {}).get("paymentId")) if answer and answer[0] == 201 else None
        if payment is None or payment[7] is None:
            continue
        for attempt in op.attempts:
            if attempt[2] == 401 and attempt[5] == payment[7]:
                refused.append((op, payment[7]))
                break
    ended_early = set()
    if refused:
        tokens = ",".join(f"'{token}'" for _, token in refused)
        ended_early = {r[0] for r in postgres.query(
            f"SELECT token FROM queue.tokens WHERE token IN ({tokens}) AND ended_at < expires_at")}
    rows = [(op, token) for op, token in refused if token in ended_early]
    return Invariant("a keyed repeat after its payment used the token up is replayed", len(rows),
                     [f"pay key {op.key}: 401 with the token its own payment ended; answers "
                      f"{_statuses(op)}" for op, token in rows])
