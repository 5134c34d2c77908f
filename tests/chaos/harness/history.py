"""What happened, as the clients saw it: every request, every keyed operation and its answers,
every fault. Written to history.jsonl as well, so a failed run can be read line by line."""

import json
import threading
from collections import defaultdict


class KeyedOperation:
    """A charge or payment under one Idempotency-Key: its body and every answer it got."""

    def __init__(self, kind, key, user, body, token=None):
        self.kind = kind          # "charge" or "pay"
        self.key = key
        self.user = user
        self.body = body
        self.tokens = [token] if token else []
        self.attempts = []        # (t0, t1, status or None, code, json body, token used)
        self.replay = None        # the answer to the repeat sent after recovery

    @property
    def amount(self):
        return self.body.get("amount")

    @property
    def reservation_id(self):
        return self.body.get("reservationId")

    def definitive(self):
        """The answers that settle the key: anything but no answer, 5xx, 409 in progress, 401/403."""
        return [a for a in self.attempts if is_definitive(a[2], a[3])]

    def first_answer(self):
        answers = self.definitive()
        return answers[0] if answers else None


def describe_answers(attempts):
    """'503 SERVICE_UNAVAILABLE x8, 201': the answers in order, runs of one answer counted."""
    runs = []
    for attempt in attempts:
        text = f"{attempt[2] or 'no answer'}{' ' + attempt[3] if attempt[3] else ''}"
        if runs and runs[-1][0] == text:
            runs[-1][1] += 1
        else:
            runs.append([text, 1])
    return ", ".join(text if n == 1 else f"{text} x{n}" for text, n in runs)


def is_definitive(status, code):
    if status is None or status >= 500:
        return False
    if status == 409 and code == "IDEMPOTENCY_IN_PROGRESS":
        return False
    return status not in (401, 403)  # the token check, not the operation, answered


class History:
    def __init__(self, path, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._out = open(path, "w")
        self.requests = []        # dicts, one per request sent through the gateway
        self.keyed = []           # KeyedOperation
        self.faults = []          # nemesis.Fault
        self.users = set()
        self.notes = []           # harness-side surprises (exceptions in a visitor, ...)
        self.wrong_answers = []   # answers malformed or naming another user
        self.per_endpoint = defaultdict(lambda: defaultdict(int))
        self.codes = defaultdict(lambda: defaultdict(int))  # endpoint -> 4xx code -> count

    def _write(self, record):
        self._out.write(json.dumps(record, default=str) + "\n")

    def request(self, endpoint, method, path, reply, visitor=None, key=None):
        record = {"type": "request", "endpoint": endpoint, "method": method, "path": path,
                  "t0": round(self.clock(reply.t0), 3), "t1": round(self.clock(reply.t1), 3),
                  "status": reply.status, "code": reply.code, "error": reply.error,
                  "request_id": reply.request_id, "visitor": visitor, "key": key}
        with self._lock:
            self.requests.append(record)
            counts = self.per_endpoint[endpoint]
            counts["attempted"] += 1
            if reply.status is None:
                counts["no answer"] += 1
            elif reply.status < 300:
                counts["2xx"] += 1
            elif reply.status < 500:
                counts["4xx"] += 1
                self.codes[endpoint][reply.code or str(reply.status)] += 1
            else:
                counts[str(reply.status)] += 1
            self._write(record)

    def new_keyed(self, operation):
        with self._lock:
            self.keyed.append(operation)
            self.users.add(operation.user)

    def answer(self, operation, reply, token=None):
        with self._lock:
            operation.attempts.append((reply.t0, reply.t1, reply.status, reply.code,
                                       reply.json if reply.answered else None, token))
            if reply.status is not None and reply.status < 300:
                self._write({"type": "acknowledged", "kind": operation.kind,
                             "key": operation.key, "user": operation.user,
                             "body": operation.body, "answer": reply.json})

    def wrong_answer(self, reply, problem):
        """An answer that cannot be right whatever happened (a token state naming nobody...)."""
        with self._lock:
            record = {"t0": round(self.clock(reply.t0), 3), "request_id": reply.request_id,
                      "status": reply.status, "problem": problem, "body": reply.body[:300].decode(
                          errors="replace")}
            self.wrong_answers.append(record)
            self._write({"type": "wrong_answer", **record})

    def user(self, user_id):
        with self._lock:
            self.users.add(user_id)

    def fault(self, fault):
        with self._lock:
            self.faults.append(fault)
            self._write({"type": "fault", **fault.as_dict(self.clock)})

    def note(self, text):
        with self._lock:
            self.notes.append(text)
            self._write({"type": "note", "text": text})

    def close(self):
        with self._lock:
            self._out.close()
