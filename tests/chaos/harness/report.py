"""The run's tables: operations per endpoint, faults and recovery times, invariants, verdict."""

import statistics
from collections import defaultdict

COLUMNS = ("attempted", "2xx", "4xx", "500", "502", "503", "504", "no answer")


def _table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]

    def line(cells):
        # Numbers to the right, words to the left.
        return "  ".join(str(c).rjust(w) if isinstance(c, (int, float)) or _numeric(c)
                         else str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _numeric(text):
    return bool(text) and all(part.replace(".", "", 1).isdigit() for part in str(text).split(" / "))


def operations(history):
    rows = []
    for endpoint in sorted(history.per_endpoint):
        counts = history.per_endpoint[endpoint]
        codes = sorted(history.codes[endpoint].items(), key=lambda item: -item[1])
        rows.append([endpoint] + [counts.get(c, 0) for c in COLUMNS]
                    + [", ".join(f"{code} {n}" for code, n in codes)])
    return _table(["endpoint"] + list(COLUMNS) + ["4xx codes"], rows)


def faults(history, clock):
    by_kind = defaultdict(list)
    for fault in history.faults:
        by_kind[fault.kind].append(fault)
    rows = []
    for kind in sorted(by_kind):
        times = [f.recovery for f in by_kind[kind] if f.recovery is not None]
        spread = (f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f}"
                  if times else "-")
        rows.append([kind, len(by_kind[kind]), len(by_kind[kind]) - len(times), spread])
    summary = _table(["fault", "count", "unrecovered", "recovery s min / median / max"], rows)
    log = _table(["#", "fault", "target", "start s", "healed s", "recovery s"],
                 [[i + 1, f.kind, f.target, f"{clock(f.start):.1f}",
                   f"{clock(f.end):.1f}" if f.end else "-",
                   f"{f.recovery:.2f}" if f.recovery is not None else "-"]
                  for i, f in enumerate(history.faults)])
    return summary, log


def summary(postgres, history):
    """What the run amounted to, from the database and the clients."""
    row = postgres.query(
        "SELECT (SELECT count(*) FROM concert.seats WHERE status::text = 'SOLD'), "
        "(SELECT count(*) FROM payment.payments WHERE status::text = 'COMPLETED'), "
        "(SELECT count(*) FROM payment.payments WHERE status::text = 'FAILED'), "
        "(SELECT count(*) FROM payment.ledger WHERE type::text = 'CHARGE'), "
        "(SELECT count(*) FROM concert.reservations WHERE status::text = 'EXPIRED'), "
        "(SELECT count(*) FROM concert.reservations WHERE status::text = 'CANCELLED')")[0]
    late = [op for op in history.keyed if op.first_answer() is None]
    return (f"users {len(history.users)}, seats SOLD {row[0]}, payments COMPLETED {row[1]} / "
            f"FAILED (refunded) {row[2]}, CHARGE entries {row[3]}, holds lapsed {row[4]} / "
            f"cancelled {row[5]}; keys without a final answer within the visitors' retries: "
            f"{len(late)} of {len(history.keyed)} (answered by the repeat after recovery)")


def invariants(results):
    rows = [["PASS" if r.passed else "FAIL", r.violations, r.name + (f" [{r.note}]" if r.note else "")]
            for r in results]
    return _table(["", "violations", "invariant"], rows)


def details(results):
    lines = []
    for r in results:
        if r.passed:
            continue
        lines.append(f"-- {r.name}: {r.violations} violation(s)")
        lines.extend(f"   {d}" for d in r.details)
        if r.violations > len(r.details):
            lines.append(f"   ... and {r.violations - len(r.details)} more")
    return "\n".join(lines)


def verdict(results):
    failed = sum(1 for r in results if not r.passed)
    return f"{len(results) - failed} passed, {failed} failed"
