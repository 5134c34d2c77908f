"""The API agrees with the database: each user's balance as the payment service answers it, and
every acknowledged payment in the user's payment list, COMPLETED."""

from collections import defaultdict

from http_api import Api
from invariant import Invariant
from key_checks import final_answer


def check(settings, port, postgres, history):
    balances = {r[0]: int(r[1]) for r in postgres.query("SELECT user_id, balance FROM payment.balances")}
    paid = defaultdict(set)
    for op in history.keyed:
        answer = final_answer(op)
        if op.kind == "pay" and answer is not None and answer[0] == 201:
            paid[op.user].add((answer[2] or {}).get("paymentId"))
    api = Api(port, settings.client_timeout * 2, prefix="chaos-check")
    details, violations = [], 0
    for user in sorted(history.users):
        reply = api.send("GET", f"/api/v1/users/{user}/points")
        history.request("check.points", "GET", "/api/v1/users/{u}/points", reply)
        if reply.status != 200 or reply.json.get("balance") != balances.get(user, 0):
            violations += 1
            details.append(f"user {user}: API {reply.describe()} balance "
                           f"{reply.json.get('balance')}, database {balances.get(user, 0)}")
        if not paid[user]:
            continue
        reply = api.send("GET", f"/api/v1/users/{user}/payments")
        history.request("check.payments", "GET", "/api/v1/users/{u}/payments", reply)
        listed = {p.get("paymentId") for p in reply.json.get("payments", [])
                  if p.get("status") == "COMPLETED"} if reply.status == 200 else set()
        for missing in sorted(paid[user] - listed):
            violations += 1
            details.append(f"user {user}: acknowledged payment {missing} not listed COMPLETED "
                           f"({reply.describe()})")
    api.close()
    return Invariant("the API agrees with the database", violations, details)
