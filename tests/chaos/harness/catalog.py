"""Concerts through the admin API: enough dates at the start, more whenever free seats run low,
so visitors never meet a sold-out line (which admits nobody) instead of the faults."""

import datetime
import threading
import time

from http_api import Api
from postgres import PsqlError

PRICES = (30_000, 60_000, 90_000)
DATES_PER_CONCERT = 10
LOW_WATER_SEATS = 400


class Catalog:
    def __init__(self, settings, port, postgres, history):
        self.settings = settings
        self.postgres = postgres
        self.history = history
        self.api = Api(port, 10, prefix="chaos-admin")
        # Dates well in the future: they stay bookable whatever day the run starts.
        self.next_date = datetime.date.today() + datetime.timedelta(days=30)
        self.concerts = 0

    def add_concert(self, deadline):
        dates = [(self.next_date + datetime.timedelta(days=i)).isoformat()
                 for i in range(DATES_PER_CONCERT)]
        self.next_date += datetime.timedelta(days=DATES_PER_CONCERT)
        body = {"title": f"Chaos {self.concerts + 1}", "price": PRICES[self.concerts % len(PRICES)],
                "dates": dates}
        headers = {"X-Admin-Key": self.settings.admin_key}
        sent = False
        while time.monotonic() < deadline:
            reply = self.api.send("POST", "/api/v1/admin/concerts", body, headers)
            self.history.request("admin.concert", "POST", "/api/v1/admin/concerts", reply)
            # DATE_TAKEN after an unanswered try: that try created it.
            if reply.status == 201 or (sent and reply.code == "DATE_TAKEN"):
                self.concerts += 1
                return True
            if reply.answered and reply.status < 500:
                raise RuntimeError(f"creating a concert: {reply.status} {reply.body[:200]!r}")
            sent = True
            time.sleep(0.5)
        return False

    def available_seats(self):
        rows = self.postgres.query("SELECT count(*) FROM concert.seats WHERE status = 'AVAILABLE'")
        return int(rows[0][0])

    def keep_stocked(self, stopping):
        """Runs until stopping is set: a new concert whenever free seats fall below the mark."""
        while not stopping.wait(2.0):
            try:
                if self.available_seats() < LOW_WATER_SEATS:
                    self.add_concert(time.monotonic() + 20)
            except PsqlError:
                pass  # PostgreSQL is down this moment: look again in two seconds

    def start_stocking(self, stopping):
        thread = threading.Thread(target=self.keep_stocked, args=(stopping,), name="catalog",
                                  daemon=True)
        thread.start()
        return thread
