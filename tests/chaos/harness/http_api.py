"""A small HTTP/1.1 client over one keep-alive connection, answering with timed replies."""

import http.client
import itertools
import json
import time

_request_numbers = itertools.count(1)


class Reply:
    """One exchange: status (None when no answer came), parsed JSON body, timing, error."""

    def __init__(self, t0, t1, status=None, body=b"", headers=None, error=None, request_id=""):
        self.t0, self.t1 = t0, t1
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.error = error
        self.request_id = request_id
        self._json = None

    @property
    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body) if self.body else {}
            except ValueError:
                self._json = {}
        return self._json

    @property
    def code(self):
        data = self.json
        return data.get("code") if isinstance(data, dict) else None

    @property
    def answered(self):
        return self.status is not None

    def describe(self):
        if not self.answered:
            return f"no answer ({self.error})"
        return f"{self.status} {self.code or ''}".strip()


class Api:
    """One connection to 127.0.0.1:port, for one thread at a time; reconnects after any error."""

    def __init__(self, port, timeout, prefix="chaos"):
        self.port = port
        self.timeout = timeout
        self.prefix = prefix
        self._connection = None

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def send(self, method, path, body=None, headers=None, timeout=None):
        request_id = f"{self.prefix}-{next(_request_numbers)}"
        sent_headers = {"X-Request-Id": request_id, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent_headers["Content-Type"] = "application/json"
        sent_headers.update(headers or {})
        t0 = time.monotonic()
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout or self.timeout)
            elif timeout:
                self._connection.timeout = timeout
            self._connection.request(method, path, body=payload, headers=sent_headers)
            response = self._connection.getresponse()
            data = response.read()
            reply = Reply(t0, time.monotonic(), response.status, data,
                          {k.lower(): v for k, v in response.getheaders()}, request_id=request_id)
            if response.will_close:
                self.close()
            return reply
        except (OSError, http.client.HTTPException) as error:
            # A late answer must never be read as the next request's: drop the connection.
            self.close()
            kind = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
            return Reply(t0, time.monotonic(), error=kind, request_id=request_id)


def get_status(port, path, timeout=0.5):
    """The status of one GET on a fresh connection, None when nothing answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
