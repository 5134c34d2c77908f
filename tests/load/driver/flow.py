#!/usr/bin/env python3
"""Load driver for requests that wrk cannot chain: the full pay flow spans two services.

wrk sends every connection of a thread to one address, so it cannot send a reserve to the
concert service and then the payment to the payment service on the same flow. This driver does
it with the Python standard library only (asyncio streams, a minimal HTTP/1.1 keep-alive client,
one process per --procs so it can use both cores like wrk -t2).

Modes (all targets must be http://127.0.0.1:PORT):
  mint  --queue URL --count N --out FILE
        POST /api/v1/queue/tokens {} N times (each mints a user and an ACTIVE token, 201 each);
        writes "userId token" lines.
  fund  --payment URL --users FILE --amount A
        POST /api/v1/users/{userId}/points/charge {"amount": A} once per user (200 each).
  flow  --concert URL --payment URL --users FILE --dates FILE --start S
        --warmup W --duration D --out JSON [--end E] [--no-token]
        Flow i (i = S, S + 1, ...): user line i reserves seat i % 50 + 1 of the date on line
        i / 50 + 1 (POST /api/v1/reservations, X-User-Id; 201 with reservationId), then pays for
        it (POST /api/v1/payments, X-User-Id and Authorization: Bearer <the user's token>; 201).
        --conns virtual visitors run flows back to back, each with one keep-alive connection to
        each service. The first W seconds are a warm-up; requests and flows that complete in the
        next D seconds are measured. Writes a JSON summary. --end E stops at visitor E (running
        out counts as a failure); --no-token pays without the bearer token, so the payment
        service expires no queue token (a diagnostic, not the real flow).
Exit status: 0 when every request answered as expected, 1 otherwise (details in the output).
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import re
import resource
import sys
import time

RESERVATION_ID = re.compile(rb'"reservationId"\s*:\s*(\d+)')


def parse_target(url):
    m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/?", url or "")
    if not m:
        sys.exit(f"flow.py: refusing target {url!r}: only http://127.0.0.1:PORT")
    return "127.0.0.1", int(m.group(1))


class Connection:
    """One HTTP/1.1 keep-alive connection; reopened when the server closes it."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None
        self.host_header = f"Host: {host}:{port}\r\n".encode()

    async def request(self, method, path, extra_headers, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"".join((
            method, b" ", path, b" HTTP/1.1\r\n", self.host_header,
            b"Content-Type: application/json\r\nContent-Length: ", str(len(body)).encode(),
            b"\r\n", extra_headers, b"\r\n", body)))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at < 0:
            raise ConnectionError("response without Content-Length")
        end = lower.find(b"\r\n", at + 2)
        length = int(lower[at + 17:end])
        payload = await self.reader.readexactly(length) if length else b""
        if b"\r\nconnection: close" in lower:
            self.close()
        return status, payload

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def percentile(values, q):
    if not values:
        return -1.0
    values = sorted(values)
    i = min(len(values) - 1, max(0, int(len(values) * q + 0.999999) - 1))
    return values[i]


def read_lines(path):
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


# --- per-process work ------------------------------------------------------------------------

async def run_mint(args, indexes):
    host, port = parse_target(args.queue)
    out, errors = [], {}
    it = iter(indexes)

    async def visitor():
        conn = Connection(host, port)
        for _ in it:
            try:
                status, body = await conn.request(b"POST", b"/api/v1/queue/tokens", b"", b"{}")
            except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as e:
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
                conn.close()
                continue
            if status != 201:
                errors[str(status)] = errors.get(str(status), 0) + 1
                continue
            doc = json.loads(body)
            out.append(f"{doc['userId']} {doc['token']}")
        conn.close()

    await asyncio.gather(*(visitor() for _ in range(args.conns_per_proc)))
    return {"lines": out, "errors": errors}


async def run_fund(args, indexes):
    host, port = parse_target(args.payment)
    users = read_lines(args.users)
    body = json.dumps({"amount": args.amount}).encode()
    done, errors = 0, {}
    it = iter(indexes)

    async def visitor():
        nonlocal done
        conn = Connection(host, port)
        for i in it:
            path = f"/api/v1/users/{users[i][0]}/points/charge".encode()
            try:
                status, payload = await conn.request(b"POST", path, b"", body)
            except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as e:
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
                conn.close()
                continue
            if status == 200:
                done += 1
            else:
                key = f"{status} {payload[:120].decode(errors='replace')}"
                errors[key] = errors.get(key, 0) + 1
        conn.close()

    await asyncio.gather(*(visitor() for _ in range(args.conns_per_proc)))
    return {"done": done, "errors": errors}


async def run_flow(args, indexes, t_zero):
    chost, cport = parse_target(args.concert)
    phost, pport = parse_target(args.payment)
    users = read_lines(args.users)
    dates = [d[0] for d in read_lines(args.dates)]
    measure_from = t_zero + args.warmup
    measure_to = measure_from + args.duration
    reserve_ms, pay_ms, flow_ms = [], [], []
    r = {"reserve_ok_total": 0, "pay_ok_total": 0, "reserve_in_window": 0, "pay_in_window": 0,
         "flows_in_window": 0, "unexpected": {}, "socket_errors": 0, "exhausted": 0,
         "unfinished": 0}
    it = iter(indexes)
    end = min(len(users), args.end) if args.end else len(users)
    auth = (lambda token: b"") if args.no_token else (
        lambda token: f"Authorization: Bearer {token}\r\n".encode())
    clock = time.perf_counter
    # perf_counter and time.time differ by a constant; measure in perf_counter time.
    offset = clock() - time.time()
    measure_from += offset
    measure_to += offset

    def unexpected(step, status, payload):
        key = f"{step} {status} {payload[:160].decode(errors='replace')}"
        r["unexpected"][key] = r["unexpected"].get(key, 0) + 1

    async def visitor():
        concert = Connection(chost, cport)
        payment = Connection(phost, pport)
        try:
            while clock() < measure_to:
                i = next(it, None)
                if i is None or i >= end or i // 50 >= len(dates):
                    r["exhausted"] += 1
                    return
                user, token = users[i]
                date = dates[i // 50]
                t0 = clock()
                try:
                    status, payload = await concert.request(
                        b"POST", b"/api/v1/reservations", f"X-User-Id: {user}\r\n".encode(),
                        f'{{"date":"{date}","seatNo":{i % 50 + 1}}}'.encode())
                except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError):
                    r["socket_errors"] += 1
                    concert.close()
                    continue
                t1 = clock()
                if measure_from <= t1 < measure_to:
                    r["reserve_in_window"] += 1
                    reserve_ms.append((t1 - t0) * 1000)
                m = RESERVATION_ID.search(payload) if status == 201 else None
                if m is None:
                    unexpected("reserve", status, payload)
                    continue
                r["reserve_ok_total"] += 1
                try:
                    status, payload = await payment.request(
                        b"POST", b"/api/v1/payments",
                        f"X-User-Id: {user}\r\n".encode() + auth(token),
                        b'{"reservationId":' + m.group(1) + b"}")
                except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError):
                    r["socket_errors"] += 1
                    payment.close()
                    continue
                t2 = clock()
                if measure_from <= t2 < measure_to:
                    r["pay_in_window"] += 1
                    pay_ms.append((t2 - t1) * 1000)
                if status != 201:
                    unexpected("pay", status, payload)
                    continue
                r["pay_ok_total"] += 1
                if measure_from <= t2 < measure_to:
                    r["flows_in_window"] += 1
                    flow_ms.append((t2 - t0) * 1000)
        finally:
            concert.close()
            payment.close()

    # Start together with the other processes.
    await asyncio.sleep(max(0.0, t_zero - time.time()))
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    tasks = [asyncio.ensure_future(visitor()) for _ in range(args.conns_per_proc)]
    _, pending = await asyncio.wait(tasks, timeout=max(1.0, measure_to - clock()) + 10)
    for task in pending:  # a request hung for 10 s past the end: count it as a timeout
        task.cancel()
        r["unfinished"] += 1
    if pending:
        await asyncio.wait(pending)
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    r["cpu_seconds"] = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    r["reserve_ms"], r["pay_ms"], r["flow_ms"] = reserve_ms, pay_ms, flow_ms
    return r


def child(mode, args, proc, t_zero, queue):
    try:
        if mode == "mint":
            indexes = range(proc, args.count, args.procs)
            result = asyncio.run(run_mint(args, indexes))
        elif mode == "fund":
            n = len(read_lines(args.users))
            result = asyncio.run(run_fund(args, range(proc, n, args.procs)))
        else:
            # Flows never end on their own: an open-ended range, cut off by the pool size.
            indexes = range(args.start + proc, 1 << 62, args.procs)
            result = asyncio.run(run_flow(args, indexes, t_zero))
        queue.put((proc, result))
    except BaseException as e:  # report, do not hang the parent
        queue.put((proc, {"fatal": f"{type(e).__name__}: {e}"}))


def run_procs(mode, args, t_zero=None):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=child, args=(mode, args, p, t_zero, queue)) for p in range(args.procs)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    results.sort(key=lambda x: x[0])
    results = [x[1] for x in results]
    fatal = [x["fatal"] for x in results if "fatal" in x]
    if fatal:
        sys.exit("flow.py: " + "; ".join(fatal))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["mint", "fund", "flow"])
    ap.add_argument("--queue")
    ap.add_argument("--concert")
    ap.add_argument("--payment")
    ap.add_argument("--users")
    ap.add_argument("--dates")
    ap.add_argument("--out")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--amount", type=int, default=1)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--end", type=int, default=0, help="flow: first visitor index not to use")
    ap.add_argument("--no-token", action="store_true",
                    help="flow: pay without Authorization (the payment then expires no token)")
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--conns", type=int, default=64)
    ap.add_argument("--procs", type=int, default=2)
    args = ap.parse_args()
    if args.conns < args.procs or args.conns % args.procs:
        sys.exit("flow.py: --conns must be a multiple of --procs")
    args.conns_per_proc = args.conns // args.procs

    if args.mode == "mint":
        results = run_procs("mint", args)
        errors = {}
        with open(args.out, "w") as f:
            for res in results:
                f.writelines(line + "\n" for line in res["lines"])
                for k, v in res["errors"].items():
                    errors[k] = errors.get(k, 0) + v
        minted = sum(len(res["lines"]) for res in results)
        print(json.dumps({"minted": minted, "errors": errors}))
        return 0 if not errors and minted == args.count else 1

    if args.mode == "fund":
        results = run_procs("fund", args)
        errors = {}
        for res in results:
            for k, v in res["errors"].items():
                errors[k] = errors.get(k, 0) + v
        print(json.dumps({"charged": sum(res["done"] for res in results), "errors": errors}))
        return 0 if not errors else 1

    t_zero = time.time() + 0.5
    results = run_procs("flow", args, t_zero)
    total = {}
    for key in ("reserve_ok_total", "pay_ok_total", "reserve_in_window", "pay_in_window",
                "flows_in_window", "socket_errors", "exhausted", "unfinished", "cpu_seconds"):
        total[key] = sum(res[key] for res in results)
    unexpected = {}
    for res in results:
        for k, v in res["unexpected"].items():
            unexpected[k] = unexpected.get(k, 0) + v
    lat = {}
    for step in ("reserve", "pay", "flow"):
        values = [v for res in results for v in res[step + "_ms"]]
        lat[step] = {"p50": percentile(values, 0.50), "p90": percentile(values, 0.90),
                     "p99": percentile(values, 0.99), "max": percentile(values, 1.0)}
    d = args.duration
    # Visitors that stopped because the seat/user pool ran out count as failures: the run did
    # not measure what it claims.
    summary = {
        "duration_s": d, "warmup_s": args.warmup, "conns": args.conns, "procs": args.procs,
        "flows_per_s": total["flows_in_window"] / d,
        "reserve_per_s": total["reserve_in_window"] / d,
        "pay_per_s": total["pay_in_window"] / d,
        "latency_ms": lat,
        "unexpected": unexpected,
        "driver_cpu_cores": total["cpu_seconds"] / (d + args.warmup),
        **total,
    }
    text = json.dumps(summary, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)
    broken = unexpected or total["socket_errors"] or total["unfinished"] or total["exhausted"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
