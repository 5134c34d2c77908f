"""After recovery: every key sent once more with its body. The spec says the repeat gets the first
answer; a key that never got a final answer during the run must get one now."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from history import is_definitive
from http_api import Api

WORKERS = 6
REPLAY_PATIENCE = 75.0  # seconds


class Tokens:
    """One ACTIVE token per user for the repeats of payments, issued on first need."""

    def __init__(self, history, port):
        self.history = history
        self.port = port
        self.tokens = {}
        self.locks = {}
        self.guard = threading.Lock()

    def get(self, api, user, fresh=False):
        with self.guard:
            lock = self.locks.setdefault(user, threading.Lock())
        with lock:
            if fresh:
                self.tokens.pop(user, None)
            if user not in self.tokens:
                self.tokens[user] = self._issue(api, user)
            return self.tokens[user]

    def _issue(self, api, user):
        deadline = time.monotonic() + 60
        token = None
        while time.monotonic() < deadline:
            if token is None:
                reply = api.send("POST", "/api/v1/queue/tokens", {"userId": user})
                self.history.request("replay.token", "POST", "/api/v1/queue/tokens", reply)
                if reply.status not in (200, 201):
                    time.sleep(0.5)
                    continue
                token, status = reply.json["token"], reply.json["status"]
            else:
                reply = api.send("GET", "/api/v1/queue/tokens/me",
                                 headers={"Authorization": f"Bearer {token}"})
                self.history.request("replay.token", "GET", "/api/v1/queue/tokens/me", reply)
                status = reply.json.get("status") if reply.status == 200 else None
                if reply.status == 401:
                    token = None
            if status == "ACTIVE":
                return token
            time.sleep(0.3)
        return token


def lift_capacity(settings, port, history):
    """Room for every user at once: the capacity samples are over by now."""
    api = Api(port, 10, prefix="chaos-replay")
    reply = api.send("PUT", "/api/v1/admin/queue", {"capacity": 100000},
                     {"X-Admin-Key": settings.admin_key})
    history.request("admin.queue", "PUT", "/api/v1/admin/queue", reply)
    api.close()


def replay_all(settings, port, history):
    lift_capacity(settings, port, history)
    tokens = Tokens(history, port)
    local = threading.local()

    def repeat(op):
        if not hasattr(local, "api"):
            local.api = Api(port, settings.client_timeout * 2, prefix="chaos-replay")
        api = local.api
        path = ("/api/v1/payments" if op.kind == "pay"
                else f"/api/v1/users/{op.user}/points/charge")
        fresh = False
        reply = None
        # Longer than the payment service's 60 s before it takes over a key whose request died
        # (answering 409 IDEMPOTENCY_IN_PROGRESS until then): the key is settled by then.
        deadline = time.monotonic() + REPLAY_PATIENCE
        while time.monotonic() < deadline:
            headers = {"Idempotency-Key": op.key}
            if op.kind == "pay":
                headers["Authorization"] = f"Bearer {tokens.get(api, op.user, fresh)}"
            reply = api.send("POST", path, op.body, headers)
            history.request(f"replay.{op.kind}", "POST", path, reply, key=op.key)
            if is_definitive(reply.status, reply.code):
                break
            fresh = reply.status == 401  # a repeat that paid used its token up
            time.sleep(1)
        op.replay = (reply.status, reply.code, reply.json if reply.answered else None)

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(repeat, list(history.keyed)))
