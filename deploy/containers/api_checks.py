#!/usr/bin/env python3
"""The spec's rules through the containers' gateway, a scripted subset of tests/e2e (which
starts a stack of its own per test and so cannot point at a long-lived one): the gateway's own
answers, the services' error codes, idempotent charges and the admin API.

  api_checks.py GATEWAY_URL ADMIN_API_KEY"""
import http.client
import json
import sys
import urllib.parse
import uuid

checked = 0


def send(method, path, body=None, headers=None, raw=None):
    parts = urllib.parse.urlsplit(GATEWAY)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    connection.request(method, path, body=data, headers=headers or {})
    reply = connection.getresponse()
    text = reply.read()
    connection.close()
    return reply.status, reply.getheader("Content-Type", ""), json.loads(text) if text else None


def expect(what, answer, status, code=None):
    """The answer has `status` and, for an error, problem+json with `code`."""
    global checked
    got, content_type, body = answer
    problem = code is None or (content_type.startswith("application/problem+json")
                               and body and body.get("code") == code)
    if got != status or not problem:
        raise SystemExit(f"api check '{what}': expected {status} {code or ''}, got {got} {body}")
    checked += 1
    return body


def main():
    token = expect("token issue", send("POST", "/api/v1/queue/tokens", {}), 201)
    auth = {"Authorization": "Bearer " + token["token"]}
    user = token["userId"]
    expect("the same user's live token again",
           send("POST", "/api/v1/queue/tokens", {"userId": user}), 200)
    expect("no token", send("GET", "/api/v1/concerts/dates"), 401, "TOKEN_INVALID")
    expect("a made-up token", send("GET", "/api/v1/concerts/dates",
                                   headers={"Authorization": "Bearer nonsense"}), 401, "TOKEN_INVALID")
    for path in ("/internal/v1/tokens/verify", "/metrics", "/api/v1/nothing-here"):
        expect(f"{path} through the gateway", send("GET", path, headers=auth), 404, "NOT_FOUND")
    expect("wrong method", send("PUT", "/api/v1/queue/tokens", {}), 405, "METHOD_NOT_ALLOWED")
    expect("malformed JSON", send("POST", "/api/v1/queue/tokens", raw="{"), 400, "INVALID_REQUEST")
    expect("over 64 KiB", send("POST", "/api/v1/queue/tokens", raw="x" * 70000), 413,
           "PAYLOAD_TOO_LARGE")
    expect("unknown date", send("GET", "/api/v1/concerts/dates/2001-01-01/seats", headers=auth), 404,
           "DATE_NOT_FOUND")
    expect("malformed date", send("GET", "/api/v1/concerts/dates/someday/seats", headers=auth), 400,
           "INVALID_DATE")
    date = expect("dates", send("GET", "/api/v1/concerts/dates", headers=auth), 200)["dates"][0]["date"]
    expect("seat 0", send("POST", "/api/v1/reservations", {"date": date, "seatNo": 0}, auth), 400,
           "INVALID_SEAT")
    seats = expect("seats", send("GET", f"/api/v1/concerts/dates/{date}/seats", headers=auth), 200)
    seat = next(s["seatNo"] for s in seats["seats"] if s["status"] == "AVAILABLE")
    hold = expect("hold", send("POST", "/api/v1/reservations", {"date": date, "seatNo": seat}, auth), 201)
    other = expect("another visitor", send("POST", "/api/v1/queue/tokens", {}), 201)
    other_auth = {"Authorization": "Bearer " + other["token"]}
    expect("a held seat", send("POST", "/api/v1/reservations", {"date": date, "seatNo": seat},
                               other_auth), 409, "SEAT_UNAVAILABLE")
    expect("another user's reservation", send("GET", f"/api/v1/reservations/{hold['reservationId']}",
                                              headers=other_auth), 404)
    pay = {"reservationId": hold["reservationId"]}
    expect("no points", send("POST", "/api/v1/payments", pay, {**auth, "Idempotency-Key": "p0"}), 402,
           "INSUFFICIENT_BALANCE")
    expect("bad user id", send("GET", "/api/v1/users/not-a-uuid/points"), 400, "INVALID_USER_ID")
    expect("unknown user", send("GET", f"/api/v1/users/{uuid.uuid4()}/points"), 404, "USER_NOT_FOUND")
    charge_path = f"/api/v1/users/{user}/points/charge"
    expect("amount 0", send("POST", charge_path, {"amount": 0}), 400, "INVALID_AMOUNT")
    key = {"Idempotency-Key": "charge-" + str(uuid.uuid4())}
    first = expect("charge", send("POST", charge_path, {"amount": 500000}, key), 200)
    again = expect("charge replayed", send("POST", charge_path, {"amount": 500000}, key), 200)
    if again != first:
        raise SystemExit("api check: a replayed charge answered differently")
    expect("key reused", send("POST", charge_path, {"amount": 7}, key), 422, "IDEMPOTENCY_KEY_REUSED")
    expect("pay", send("POST", "/api/v1/payments", pay, {**auth, "Idempotency-Key": "p1"}), 201)
    expect("pay again, new key", send("POST", "/api/v1/payments", pay,
                                      {**other_auth, "Idempotency-Key": "p2"}), 404,
           "RESERVATION_NOT_FOUND")
    expect("the spent token", send("GET", "/api/v1/concerts/dates", headers=auth), 401, "TOKEN_EXPIRED")
    expect("admin without key", send("GET", "/api/v1/admin/queue"), 401, "ADMIN_KEY_INVALID")
    expect("admin", send("GET", "/api/v1/admin/queue", headers={"X-Admin-Key": ADMIN_KEY}), 200)
    print(f"ok: {checked} API checks through the gateway")


if __name__ == "__main__":
    GATEWAY, ADMIN_KEY = sys.argv[1], sys.argv[2]
    main()
