"""Chaos under load (issue 17): the whole system with two replicas of every service, visitors
doing the journey through the gateway, a nemesis killing, pausing and crashing things, then the
invariants checked in SQL and through the API. Run it with tests/chaos/run.sh."""

import argparse
import os
import signal
import sys
import threading
import time
import traceback

import api_checks
import db_checks
import key_checks
import report
import traffic_checks
from active_sampler import ActiveSampler
from catalog import Catalog
from history import History
from nemesis import Nemesis
from postgres import PsqlError
from replay import replay_all
from settings import Settings
from system import System
from visitor import Visitor

INITIAL_CONCERTS = 3


def say(text):
    print(text, flush=True)


def wait_for_settled_payments(system, settings, at_least):
    """Until no payment is PENDING (the recovery loop has settled them) or the limit passes."""
    start = time.monotonic()
    while True:
        elapsed = time.monotonic() - start
        try:
            pending = int(system.postgres.query(
                "SELECT count(*) FROM payment.payments WHERE status::text = 'PENDING'")[0][0])
        except PsqlError:
            pending = -1
        if (pending == 0 and elapsed >= at_least) or elapsed > settings.settle:
            return pending, elapsed
        time.sleep(0.5)


def progress(history, clock, started):
    acknowledged = {"charge": 0, "pay": 0}
    for op in history.keyed:
        if op.first_answer() and op.first_answer()[2] in (200, 201):
            acknowledged[op.kind] += 1
    return (f"  {clock(time.monotonic()):6.1f} s  requests {len(history.requests)}, "
            f"charges {acknowledged['charge']}, payments {acknowledged['pay']}, "
            f"faults {len(history.faults)}")


def run(settings, system, history, clock):
    say(f"== chaos: {settings.seconds:g} s, {settings.visitors} visitors ({settings.chargers} only "
        f"charging), seed {settings.seed}, "
        f"faults {','.join(settings.faults)}; work dir {settings.work}")
    system.start()
    say(f"   gateway :{system.gateway_port}, PostgreSQL :{system.postgres.port}, replicas "
        + ", ".join(f"{r.name} :{r.port}" for r in system.all_replicas()))
    catalog = Catalog(settings, system.gateway_port, system.postgres, history)
    for _ in range(INITIAL_CONCERTS):
        if not catalog.add_concert(time.monotonic() + 30):
            raise RuntimeError("could not create the concerts")

    stopping = threading.Event()
    sampler = ActiveSampler(system.postgres, clock)
    sampler.start()
    system.watch()
    catalog.start_stocking(stopping)
    deadline = time.monotonic() + settings.seconds
    visitors = [Visitor(i + 1, settings, system.gateway_port, history, stopping,
                        settings.seed * 1000 + i, topping_up=i < settings.chargers)
                for i in range(settings.visitors)]
    for visitor in visitors:
        visitor.start()
    nemesis = Nemesis(settings, system, history, deadline, settings.seed)
    nemesis.start()
    started = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(min(10, max(0.1, deadline - time.monotonic())))
        say(progress(history, clock, started))

    say("== healing: the nemesis stops, every replica and PostgreSQL up, visitors finish")
    nemesis.halt.set()
    nemesis.join(timeout=120)
    system.heal()
    stopping.set()
    for visitor in visitors:
        visitor.join(timeout=settings.retry_budget * 2 + 30)
    stuck = [v.name for v in visitors if v.is_alive()]
    if stuck:
        history.note(f"visitors still running after the run: {', '.join(stuck)}")
    sampler.halt.set()
    system.wait_until(system.answers, 60, "the healed system does not answer")
    pending, waited = wait_for_settled_payments(system, settings, settings.recovery_grace + 2)
    say(f"   settled after {waited:.1f} s ({pending} PENDING left)")
    say(f"== repeating every key once ({len(history.keyed)} keys)")
    replay_all(settings, system.gateway_port, history)
    wait_for_settled_payments(system, settings, 0)

    say("== checking the invariants")
    results = db_checks.check(system.postgres)
    key_results, notes = key_checks.check(system.postgres, history)
    results += key_results
    results += traffic_checks.check(settings, system, history, sampler, clock)
    results.append(api_checks.check(settings, system.gateway_port, system.postgres, history))

    summary, fault_log = report.faults(history, clock)
    say("\n== operations through the gateway\n" + report.operations(history))
    say("\n== faults\n" + summary + "\n\n" + fault_log)
    say("\n== outcome\n" + report.summary(system.postgres, history))
    say("\n== invariants\n" + report.invariants(results))
    for note in notes:
        say(f"note: {note}")
    if history.notes:
        say(f"note: {len(history.notes)} harness notes (history.jsonl); first ones:")
        for note in history.notes[:8]:
            say("  " + note.strip().replace("\n", "\n  "))
    failed = any(not r.passed for r in results)
    if failed:
        say("\n== violations\n" + report.details(results))
        say(f"logs: {settings.logs} (replicas: <service>-<n>.log, history.jsonl), gateway "
            f"{settings.work}/gateway/access.log, balancer {settings.work}/balancer/access.log, "
            f"PostgreSQL {settings.work}/pg/server.log")
    say(report.verdict(results))
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="the repository")
    parser.add_argument("--work", required=True, help="an empty directory for this run")
    args = parser.parse_args()
    settings = Settings(os.path.abspath(args.root), os.path.abspath(args.work))
    origin = time.monotonic()
    clock = lambda t: t - origin  # noqa: E731  run time in seconds
    os.makedirs(settings.logs, exist_ok=True)
    history = History(os.path.join(settings.logs, "history.jsonl"), clock)
    system = System(settings, history)

    def terminate(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminate)

    failed = True
    try:
        failed = run(settings, system, history, clock)
    except KeyboardInterrupt:
        say("chaos: interrupted")
    except SystemExit:
        say("chaos: terminated")
    except Exception:
        say("chaos: the harness failed:\n" + traceback.format_exc())
    finally:
        say("== stopping everything")
        system.stop()
        history.close()
        if failed or settings.keep:
            open(os.path.join(settings.work, "keep"), "w").close()
            say(f"kept: {settings.work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
