"""Samples the ACTIVE tokens every half second: never more than the line's capacity."""

import threading
import time

from postgres import PsqlError

QUERY = ("SELECT (SELECT count(*) FROM queue.tokens WHERE status::text = 'ACTIVE'), "
         "(SELECT capacity FROM queue.line WHERE id = 1)")


class ActiveSampler(threading.Thread):
    def __init__(self, postgres, clock, period=0.5):
        super().__init__(name="active-sampler", daemon=True)
        self.postgres = postgres
        self.clock = clock
        self.period = period
        self.halt = threading.Event()
        self.samples = 0
        self.missed = 0      # PostgreSQL was down
        self.highest = 0
        self.over = []       # (run time, active, capacity)

    def run(self):
        while not self.halt.wait(self.period):
            try:
                rows = self.postgres.query(QUERY, timeout=5)
            except PsqlError:
                self.missed += 1
                continue
            if not rows or rows[0][1] is None:
                continue
            active, capacity = int(rows[0][0]), int(rows[0][1])
            self.samples += 1
            self.highest = max(self.highest, active)
            if active > capacity:
                self.over.append((round(self.clock(time.monotonic()), 2), active, capacity))
