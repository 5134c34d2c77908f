"""What the clients and the nemesis saw: no 500 ever, 502/503/504 only while a fault lasts, the
line within its capacity, readiness soon after PostgreSQL restarts, no replica dying by itself."""

import time

from invariant import Invariant, from_rows
from system import signal_name


def check(settings, system, history, sampler, clock):
    now = time.monotonic()
    # A fault excuses an error from its start until a few seconds after it was healed.
    windows = [(f.start, (f.end or now) + settings.grace) for f in history.faults]

    def during_fault(request):
        t0, t1 = request["t0"], request["t1"]
        return any(clock(start) <= t1 and t0 <= clock(end) for start, end in windows)

    answered_500 = [r for r in history.requests if r["status"] == 500]
    outside = [r for r in history.requests
               if r["status"] in (502, 503, 504) and not during_fault(r)]
    pg_faults = [f for f in history.faults if f.kind == "pg"]
    slow_pg = [f for f in pg_faults if f.recovery is None or f.recovery > settings.pg_ready_limit]
    unrecovered = [f for f in history.faults if f.recovery is None]
    deaths = [f"{name} exited with {signal_name(code)} at {clock(t):.1f} s"
              for t, name, code in system.unexpected_exits] + system.sanitizer_reports()

    def describe(r):
        return (f"{r['t0']:.2f}-{r['t1']:.2f} s {r['method']} {r['path']} -> {r['status']} "
                f"{r['code'] or ''} (X-Request-Id {r['request_id']})")

    return [
        from_rows("no 500 through the gateway", answered_500, describe),
        from_rows("502/503/504 only during a fault (+%gs)" % settings.grace, outside, describe),
        from_rows(f"ACTIVE tokens <= capacity ({sampler.samples} samples, highest "
                  f"{sampler.highest})", sampler.over,
                  lambda o: f"at {o[0]} s: {o[1]} ACTIVE, capacity {o[2]}"),
        from_rows(f"every replica ready <= {settings.pg_ready_limit:g} s after PostgreSQL restarts",
                  slow_pg, lambda f: f"restart at {clock(f.end):.1f} s: "
                  + (f"ready after {f.recovery:.2f} s" if f.recovery is not None else "never ready")),
        from_rows("the system answers again after every fault", unrecovered,
                  lambda f: f"{f.kind} {f.target} healed at {clock(f.end):.1f} s"),
        Invariant("no replica died on its own, no sanitizer report", len(deaths), deaths),
        from_rows("every token answer is a real token of the asking user", history.wrong_answers,
                  lambda w: f"{w['t0']:.2f} s {w['status']} (X-Request-Id {w['request_id']}): "
                            f"{w['problem']}; body {w['body']}"),
    ]
