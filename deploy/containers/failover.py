#!/usr/bin/env python3
"""Kills replicas during a stream of requests through the gateway, then checks that nothing
acknowledged was lost and that the killed containers came back.

  failover.py GATEWAY_URL CONTAINER... (containers whose process is SIGKILLed a few seconds in)

Streams, each on its own keep-alive connection: token polls (queue), seat maps (concert),
charges of 1 point with a fresh Idempotency-Key each (payment), and payments of prepared holds.
After the stream every request without a final answer is sent again with its key until it has
one; then the charged user's balance must equal the number of charges answered 200, and every
payment answered 201 must be listed for its user. Prints the figures as one JSON object."""
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

STREAM_SECONDS = 16
KILL_AFTER_SECONDS = 4
PAYERS = 24


class Client:
    """One keep-alive connection to the gateway, opened again after any failure."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = None

    def send(self, method, path, body=None, headers=None):
        """(status, parsed body or None); status 0 when the connection failed."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            data = json.dumps(body) if body is not None else None
            self.connection.request(method, path, body=data, headers=headers or {})
            reply = self.connection.getresponse()
            raw = reply.read()
            return reply.status, json.loads(raw) if raw else None
        except (OSError, http.client.HTTPException, ValueError):
            self.connection = None
            return 0, None


def require(condition, message):
    if not condition:
        raise SystemExit("failover: " + message)


def active_token(client):
    status, token = client.send("POST", "/api/v1/queue/tokens", {})
    require(status == 201, f"token issue answered {status}")
    return token["token"], token["userId"]


def prepare_payers(client, count):
    """Users that each hold one seat and have points enough to pay for it."""
    token, _ = active_token(client)
    auth = {"Authorization": "Bearer " + token}
    _, listing = client.send("GET", "/api/v1/concerts/dates", headers=auth)
    seats = []
    for date in (d["date"] for d in listing["dates"]):
        _, seat_map = client.send("GET", f"/api/v1/concerts/dates/{date}/seats", headers=auth)
        seats += [(date, s["seatNo"]) for s in seat_map["seats"] if s["status"] == "AVAILABLE"]
    require(len(seats) >= count, "not enough free seats for the payers")
    payers = []
    for date, seat in seats[:count]:
        token, user = active_token(client)
        auth = {"Authorization": "Bearer " + token}
        status, hold = client.send("POST", "/api/v1/reservations", {"date": date, "seatNo": seat}, auth)
        require(status == 201, f"hold answered {status}")
        status, _ = client.send("POST", f"/api/v1/users/{user}/points/charge", {"amount": 1000000},
                                {"Idempotency-Key": str(uuid.uuid4())})
        require(status == 200, f"charge answered {status}")
        payers.append({"user": user, "auth": auth, "reservation": hold["reservationId"]})
        time.sleep(0.12)  # under the gateway's token-issue brake (10 a second)
    return payers


class Stream(threading.Thread):
    """Sends one kind of request over and over until stopped; keeps (time, status, request)."""

    def __init__(self, url, name, next_request, stop):
        super().__init__(daemon=True)
        self.client, self.name, self.next_request, self.stop = Client(url), name, next_request, stop
        self.results = []

    def run(self):
        while not self.stop.is_set():
            request = self.next_request()
            if request is None:
                time.sleep(0.05)
                continue
            status, body = self.client.send(*request)
            self.results.append((time.monotonic(), status, request, body))


def settle(client, request, ok_statuses, deadline):
    """Sends a keyed request again until its answer is final (not 0, 5xx or 409 in progress)."""
    while time.monotonic() < deadline:
        status, body = client.send(*request)
        in_progress = status == 409 and (body or {}).get("code") == "IDEMPOTENCY_IN_PROGRESS"
        if status in ok_statuses or (400 <= status < 500 and not in_progress):
            return status
        time.sleep(0.5)
    raise SystemExit(f"failover: {request[1]} had no final answer in time")


def crash(names):
    """SIGKILL to each container's main process, as `podman kill` sends it. Not `podman kill`
    itself: podman 4.3 marks a container it killed as stopped by the user, and its restart
    policy then leaves it down; a process that dies (a crash, the OOM killer) is restarted."""
    pids = subprocess.run(["podman", "inspect", "--format", "{{.State.Pid}}", *names],
                          check=True, capture_output=True, text=True).stdout.split()
    subprocess.run(["kill", "-KILL", *pids], check=True)


def container_back(name):
    state = subprocess.run(["podman", "inspect", "--format",
                            "{{.State.Running}} {{.State.Health.Status}}", name],
                           capture_output=True, text=True).stdout.split()
    return state == ["true", "healthy"]


def main():
    url, victims = sys.argv[1], sys.argv[2:]
    setup = Client(url)
    payers = prepare_payers(setup, PAYERS)
    reader_token, charged_user = active_token(setup)
    reader = {"Authorization": "Bearer " + reader_token}
    _, listing = setup.send("GET", "/api/v1/concerts/dates", headers=reader)
    date = listing["dates"][0]["date"]

    pending_payers = list(payers)
    pay_lock = threading.Lock()

    def next_payment():
        with pay_lock:
            if not pending_payers:
                return None
            payer = pending_payers.pop(0)
        time.sleep(STREAM_SECONDS / PAYERS / 2)
        return ("POST", "/api/v1/payments", {"reservationId": payer["reservation"]},
                {**payer["auth"], "Idempotency-Key": "pay-" + payer["user"]})

    stop = threading.Event()
    streams = [
        Stream(url, "queue", lambda: ("GET", "/api/v1/queue/tokens/me", None, reader), stop),
        Stream(url, "concert", lambda: ("GET", f"/api/v1/concerts/dates/{date}/seats", None, reader), stop),
        Stream(url, "charge", lambda: ("POST", f"/api/v1/users/{charged_user}/points/charge",
                                       {"amount": 1}, {"Idempotency-Key": str(uuid.uuid4())}), stop),
        Stream(url, "payment", next_payment, stop),
    ]
    started = time.monotonic()
    for stream in streams:
        stream.start()
    time.sleep(KILL_AFTER_SECONDS)
    killed_at = time.monotonic()
    crash(victims)
    back_after = {}
    while time.monotonic() - started < STREAM_SECONDS or (
            len(back_after) < len(victims) and time.monotonic() - killed_at < 90):
        for name in victims:
            if name not in back_after and container_back(name):
                back_after[name] = round(time.monotonic() - killed_at, 1)
        if time.monotonic() - started >= STREAM_SECONDS:
            stop.set()
        time.sleep(0.5)
    stop.set()
    for stream in streams:
        stream.join()

    figures = {"killed": victims, "stream_seconds": STREAM_SECONDS, "back_after_seconds": back_after}
    for stream in streams:
        errors = [t - killed_at for t, status, _, _ in stream.results if not 200 <= status < 300]
        figures[stream.name] = {
            "requests": len(stream.results),
            "errors": len(errors),
            "error_statuses": sorted({s for _, s, _, _ in stream.results if not 200 <= s < 300}),
            "last_error_after_kill_seconds": round(max(errors), 2) if errors else None,
        }
    require(len(back_after) == len(victims), f"not every killed container came back: {back_after}")

    deadline = time.monotonic() + 60
    charge_stream, payment_stream = streams[2], streams[3]
    charged = sum(1 for _, status, request, _ in charge_stream.results
                  if (status if status == 200 else settle(setup, request, {200}, deadline)) == 200)
    _, points = setup.send("GET", f"/api/v1/users/{charged_user}/points")
    require(points["balance"] == charged,
            f"balance {points['balance']} but {charged} charges of 1 were answered 200")
    paid = 0
    for _, status, request, _ in payment_stream.results:
        final = status if status == 201 else settle(setup, request, {201}, deadline)
        if final != 201:
            continue
        paid += 1
        user = request[3]["Idempotency-Key"][len("pay-"):]
        _, listed = setup.send("GET", f"/api/v1/users/{user}/payments")
        require(any(p["reservationId"] == request[2]["reservationId"] for p in listed["payments"]),
                f"payment of reservation {request[2]['reservationId']} answered 201 but not listed")
    figures["acknowledged"] = {"charges": charged, "payments": paid, "lost": 0}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
