"""The nemesis: one fault at a time at random moments, each healed after a while, and the time
until the whole system answered again measured after each."""

import random
import threading
import time

RECOVERY_LIMIT = 60.0  # seconds a fault's recovery is waited for before it is called failed


class Fault:
    def __init__(self, kind, target, start):
        self.kind = kind
        self.target = target
        self.start = start
        self.end = None        # when it was healed (restart, SIGCONT, PostgreSQL started)
        self.recovered = None  # when every replica was ready and the gateway answered again

    @property
    def recovery(self):
        return None if self.recovered is None else self.recovered - self.end

    def as_dict(self, clock):
        return {"kind": self.kind, "target": self.target, "start": round(clock(self.start), 3),
                "end": round(clock(self.end), 3) if self.end else None,
                "recovery": round(self.recovery, 3) if self.recovery is not None else None}


class Nemesis(threading.Thread):
    def __init__(self, settings, system, history, deadline, seed):
        super().__init__(name="nemesis", daemon=True)
        self.settings = settings
        self.system = system
        self.history = history
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.halt = threading.Event()

    def plan(self):
        """Every kind once first (in random order), then at random: a short run sees them all."""
        kinds = list(self.settings.faults)
        self.rng.shuffle(kinds)
        yield from kinds
        while True:
            yield self.rng.choice(self.settings.faults)

    def run(self):
        try:
            self._run()
        except Exception as error:  # noted, and the run goes on healed: the checks still come
            self.history.note(f"the nemesis stopped: {error!r}")

    def _run(self):
        stops = 0
        for kind in self.plan():
            if self.halt.wait(self.rng.uniform(*self.settings.fault_gap)):
                return
            if time.monotonic() >= self.deadline:
                return
            if kind == "kill":
                fault = self.kill(self.rng.choice(self.system.all_replicas()))
            elif kind == "stop":
                # The first pause is a concert replica's: the payment's calls to it must time out.
                group = "concert" if stops == 0 else self.rng.choice(("queue", "concert", "payment"))
                stops += 1
                fault = self.pause(self.rng.choice(self.system.replicas[group]))
            else:
                fault = self.crash_postgres()
            self.await_recovery(fault)
            self.history.fault(fault)

    def _hold(self, seconds_range):
        time.sleep(self.rng.uniform(*seconds_range))  # a fault, once begun, runs its course

    def kill(self, replica):
        fault = Fault("kill", replica.name, time.monotonic())
        replica.kill()
        self._hold(self.settings.kill_down)
        replica.start()
        fault.end = time.monotonic()
        return fault

    def pause(self, replica):
        fault = Fault("stop", replica.name, time.monotonic())
        replica.pause()
        self._hold(self.settings.stop_for)
        replica.resume()
        fault.end = time.monotonic()
        return fault

    def crash_postgres(self):
        fault = Fault("pg", "postgres", time.monotonic())
        self.system.postgres.crash()
        self._hold(self.settings.pg_down)
        self.system.postgres.start()
        fault.end = time.monotonic()
        return fault

    def await_recovery(self, fault):
        limit = time.monotonic() + RECOVERY_LIMIT
        while time.monotonic() < limit:
            if self.system.answers():
                fault.recovered = time.monotonic()
                return
            time.sleep(0.1)
