"""Keep-alive HTTP/1.1 connections to one host for the on-sale visitors, on asyncio's Protocol
layer: a stream reader per request costs more Python time than the load generator can spare
when thousands of visitors come back in the same second."""

import asyncio
import collections
import json


class ResponseError(Exception):
    """The connection broke, or the answer did not come in time."""


def _parse(buffer):
    """(status, body, bytes used, close) of the first whole response in buffer, else None."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    close = headers.get("connection", "").lower() == "close"
    start = end + 4
    if "content-length" in headers:
        stop = start + int(headers["content-length"])
        if len(buffer) < stop:
            return None
        return status, bytes(buffer[start:stop]), stop, close
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body, at = bytearray(), start
        while True:
            line_end = buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
            if len(buffer) < line_end + 2 + size + 2:
                return None
            body += buffer[line_end + 2:line_end + 2 + size]
            at = line_end + 2 + size + 2
            if size == 0:
                return status, bytes(body), at, close
    return status, b"", start, close  # no body (204, or a status without one)


class _Connection(asyncio.Protocol):
    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.pending = None
        self.open = False

    def connection_made(self, transport):
        self.transport = transport
        self.open = True

    def data_received(self, data):
        self.buffer += data
        if self.pending is None:
            return
        parsed = _parse(self.buffer)
        if parsed is None:
            return
        status, body, used, close = parsed
        del self.buffer[:used]
        future, self.pending = self.pending, None
        if close:
            self.shut()
        if not future.done():
            future.set_result((status, body))

    def connection_lost(self, exc):
        self.open = False
        if self.pending is not None and not self.pending.done():
            self.pending.set_exception(ResponseError("connection lost"))

    def shut(self):
        self.open = False
        if self.transport is not None:
            self.transport.close()


class Pool:
    """At most `size` connections; a request waits for a free one (the wait counts in the
    visitor's latency, as a browser's queue for a connection would)."""

    def __init__(self, host, port, size, timeout):
        self.host, self.port, self.size, self.timeout = host, port, size, timeout
        self.idle = []
        self.waiters = collections.deque()
        self.count = 0
        self.loop = asyncio.get_running_loop()

    async def _connect(self):
        _, connection = await self.loop.create_connection(_Connection, self.host, self.port)
        return connection

    async def _acquire(self):
        while self.idle:
            connection = self.idle.pop()
            if connection.open:
                return connection
            self.count -= 1
        if self.count < self.size:
            self.count += 1
            try:
                return await self._connect()
            except OSError:
                self.count -= 1
                raise
        waiter = self.loop.create_future()
        self.waiters.append(waiter)
        return await waiter

    def _release(self, connection):
        if not connection.open:
            self.count -= 1
            if self.waiters:
                self.count += 1
                self.loop.create_task(self._hand_new(self.waiters.popleft()))
            return
        if self.waiters:
            self.waiters.popleft().set_result(connection)
        else:
            self.idle.append(connection)

    async def _hand_new(self, waiter):
        try:
            waiter.set_result(await self._connect())
        except OSError as error:
            self.count -= 1
            waiter.set_exception(error)

    async def request(self, method, path, body=None, token=None):
        """(status, parsed JSON or None, time asked, time written); status 0 when the exchange
        failed. Between asked and written the request waited for a free connection."""
        asked = self.loop.time()
        try:
            connection = await self._acquire()
        except OSError:
            return 0, None, asked, self.loop.time()
        head = f"{method} {path} HTTP/1.1\r\nHost: gateway\r\n"
        if token is not None:
            head += f"Authorization: Bearer {token}\r\n"
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        future = self.loop.create_future()
        connection.pending = future
        sent = self.loop.time()
        connection.transport.write(head.encode() + b"\r\n" + payload)
        timer = self.loop.call_later(
            self.timeout, lambda: future.done() or future.set_exception(ResponseError("timeout")))
        try:
            status, data = await future
        except ResponseError:
            connection.pending = None
            connection.shut()
            self._release(connection)
            return 0, None, asked, sent
        finally:
            timer.cancel()
        self._release(connection)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, parsed, asked, sent

    def close(self):
        for connection in self.idle:
            connection.shut()
        self.idle = []
