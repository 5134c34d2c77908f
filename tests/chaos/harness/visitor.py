"""A visitor doing the whole journey through the gateway, again and again: token, poll, dates,
seats, hold, then cancel, let the hold lapse, or charge and pay; keyed requests are repeated
with the same Idempotency-Key after a timeout or a 5xx until they get a final answer."""

import random
import re
import threading
import time
import traceback

from history import KeyedOperation, describe_answers, is_definitive
from http_api import Api

CHARGE_BASE = 150_000   # above every price; plus the user's charge number: unique per user
CANCEL_CHANCE = 0.10
LAPSE_CHANCE = 0.10
NEW_USER_CHANCE = 0.05
DATES_TO_CHOOSE_FROM = 3  # the earliest dates only, so visitors meet on the same seats
TOP_UPS_PER_USER = 200    # 200 charges of ~150,000 stay well below POINTS_MAX_BALANCE


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def token_state_problem(state, user=None, token=None):
    """Why a token state cannot be the asker's (None when it can): the spec's shapes, its user."""
    if not TOKEN.match(str(state.get("token"))):
        return f"token {state.get('token')!r} is not 32 hex digits"
    if not UUID.match(str(state.get("userId"))):
        return f"userId {state.get('userId')!r} is not a canonical UUID"
    if user and state["userId"] != user:
        return f"userId {state['userId']} is not the asker's {user}"
    if token and state["token"] != token:
        return f"token {state['token']} is not the one polled"
    return None


class Stop(Exception):
    """The run is over: no new step."""


class Restart(Exception):
    """This journey cannot go on (no seat, no token): start another."""


class Visitor(threading.Thread):
    def __init__(self, number, settings, port, history, stopping, seed, topping_up=False):
        super().__init__(name=f"visitor-{number}", daemon=True)
        self.number = number
        self.settings = settings
        self.history = history
        self.stopping = stopping
        self.rng = random.Random(seed)
        self.api = Api(port, settings.client_timeout, prefix=f"chaos-v{number}")
        self.user = None
        self.token = None
        self.charges = {}  # user -> charges made, so each charge's amount is the user's own
        self.journeys = 0
        self.topping_up = topping_up  # only charges, back to back: keeps charges in flight

    # --- plumbing ---
    def _send(self, endpoint, method, path, body=None, gated=True, headers=None, key=None):
        sent = dict(headers or {})
        if gated and self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        reply = self.api.send(method, path, body, sent)
        self.history.request(endpoint, method, path, reply, self.number, key)
        return reply

    def _pause(self, seconds):
        if self.stopping.wait(seconds):
            raise Stop()

    def _backoff(self, attempt, finishing=False):
        delay = min(1.5, 0.2 * (attempt + 1)) * self.rng.uniform(0.7, 1.3)
        if finishing:
            time.sleep(delay)
        else:
            self._pause(delay)

    # --- the queue ---
    def ensure_token(self, finishing=False):
        """An ACTIVE token, issuing and polling as needed; False when the budget ran out."""
        deadline = time.monotonic() + self.settings.retry_budget
        attempt = 0
        while time.monotonic() < deadline:
            if not finishing and self.stopping.is_set():
                raise Stop()
            if self.token is None:
                body = {"userId": self.user} if self.user else {}
                reply = self._send("token.issue", "POST", "/api/v1/queue/tokens", body, gated=False)
                problem = reply.status in (200, 201) and token_state_problem(reply.json, self.user)
                if problem:
                    self.history.wrong_answer(reply, problem)
                elif reply.status in (200, 201):
                    self.token, self.user = reply.json["token"], reply.json["userId"]
                    self.history.user(self.user)
                    if reply.json.get("status") == "ACTIVE":
                        return True
                    time.sleep(0.5)
                else:
                    attempt += 1
                    self._backoff(attempt, finishing)
                continue
            reply = self._send("token.poll", "GET", "/api/v1/queue/tokens/me")
            problem = reply.status == 200 and token_state_problem(reply.json, self.user, self.token)
            if problem:
                self.history.wrong_answer(reply, problem)
                self.token = None  # not ours to use: a new one
            elif reply.status == 200:
                if reply.json.get("status") == "ACTIVE":
                    return True
                wait = reply.json.get("pollAfterSeconds") or 1
                time.sleep(min(wait, 1.0) * self.rng.uniform(0.5, 1.0))
            elif reply.status == 401:
                self.token = None  # expired or dropped: a new one
            else:
                attempt += 1
                self._backoff(attempt, finishing)
        return False

    def mint_user(self):
        """A new user: the first token request logs in. The token is left to be dropped unpolled."""
        while True:
            reply = self._send("token.issue", "POST", "/api/v1/queue/tokens", {}, gated=False)
            problem = reply.status == 201 and token_state_problem(reply.json)
            if problem:
                self.history.wrong_answer(reply, problem)
            elif reply.status == 201:
                self.user, self.token = reply.json["userId"], None
                self.history.user(self.user)
                return
            self._pause(0.5)

    def _gated(self, endpoint, method, path, body=None, retry=True):
        for attempt in range(8):
            if self.stopping.is_set():
                raise Stop()
            reply = self._send(endpoint, method, path, body)
            if reply.status == 401:
                self.token = None
            if reply.status in (401, 403):
                if not self.ensure_token():
                    raise Restart()
                continue
            if reply.answered and reply.status < 500:
                return reply
            if not retry:
                return reply
            self._backoff(attempt)
        raise Restart()

    # --- keyed requests ---
    def _keyed(self, operation, path, gated):
        """Sends it until a final answer or the retry budget is spent (then None)."""
        deadline = time.monotonic() + self.settings.retry_budget
        attempt = 0
        while time.monotonic() < deadline:
            reply = self._send(operation.kind, "POST", path, operation.body, gated=gated,
                               headers={"Idempotency-Key": operation.key}, key=operation.key)
            self.history.answer(operation, reply, self.token if gated else None)
            if is_definitive(reply.status, reply.code):
                return reply
            if gated and reply.status == 401:
                self.token = None
            if gated and reply.status in (401, 403):
                if not self.ensure_token(finishing=True):
                    break
                operation.tokens.append(self.token)
                continue
            attempt += 1
            self._backoff(attempt, finishing=True)
        self.history.note(f"{operation.kind} key {operation.key} got no final answer within "
                          f"{self.settings.retry_budget:.0f} s: {describe_answers(operation.attempts)}")
        return None

    def charge(self):
        number = self.charges.get(self.user, 0) + 1
        self.charges[self.user] = number
        operation = KeyedOperation("charge", f"charge-{self.user}-{number}", self.user,
                                   {"amount": CHARGE_BASE + number})
        self.history.new_keyed(operation)
        return self._keyed(operation, f"/api/v1/users/{self.user}/points/charge", gated=False)

    def pay(self, reservation_id):
        operation = KeyedOperation("pay", f"pay-{self.user}-{reservation_id}", self.user,
                                   {"reservationId": reservation_id}, self.token)
        self.history.new_keyed(operation)
        reply = self._keyed(operation, "/api/v1/payments", gated=True)
        if reply is not None and reply.status == 201:
            self.token = None  # a payment uses its token up
        return reply

    # --- the journey ---
    def run(self):
        while not self.stopping.is_set():
            try:
                if self.topping_up:
                    self.top_up()
                else:
                    self.journey()
            except Restart:
                continue
            except Stop:
                break
            except Exception:  # a harness bug must not end the run silently
                self.history.note(f"visitor {self.number}: {traceback.format_exc()}")
                time.sleep(0.5)
        self.api.close()

    def journey(self):
        self.journeys += 1
        if self.rng.random() < NEW_USER_CHANCE:
            self.user, self.token = None, None
        if not self.ensure_token():
            raise Restart()
        date = self.pick_date()
        reservation = self.hold(date)
        fate = self.rng.random()
        if fate < CANCEL_CHANCE:
            self._gated("cancel", "DELETE", f"/api/v1/reservations/{reservation['reservationId']}")
            return
        if fate < CANCEL_CHANCE + LAPSE_CHANCE:
            self._pause(self.settings.hold_ttl + 1.5)
        if self.charge() is None:
            return
        if self.rng.random() < 0.2:
            self._send("points", "GET", f"/api/v1/users/{self.user}/points", gated=False)
        self.pay(reservation["reservationId"])

    def top_up(self):
        """A user who only charges; a new user now and then, far from POINTS_MAX_BALANCE."""
        if self.user is None or self.charges.get(self.user, 0) >= TOP_UPS_PER_USER:
            self.mint_user()
        self.charge()
        if self.rng.random() < 0.1:
            self._send("history", "GET", f"/api/v1/users/{self.user}/points/history?limit=5",
                       gated=False)

    def pick_date(self):
        reply = self._gated("dates", "GET", "/api/v1/concerts/dates")
        dates = [d["date"] for d in reply.json.get("dates", []) if d.get("availableSeats", 0) > 0]
        if reply.status != 200 or not dates:
            self._pause(0.5)
            raise Restart()
        return self.rng.choice(dates[:DATES_TO_CHOOSE_FROM])

    def hold(self, date):
        reply = self._gated("seats", "GET", f"/api/v1/concerts/dates/{date}/seats")
        free = [s["seatNo"] for s in reply.json.get("seats", []) if s.get("status") == "AVAILABLE"]
        if reply.status != 200 or not free:
            raise Restart()
        for seat in self.rng.sample(free, min(3, len(free))):
            reply = self._gated("hold", "POST", "/api/v1/reservations",
                                {"date": date, "seatNo": seat}, retry=False)
            if reply.status == 201:
                return reply.json
            if reply.code != "SEAT_UNAVAILABLE":
                break  # the seat limit, or no answer: the hold may exist and will lapse
        raise Restart()
