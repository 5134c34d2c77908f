#!/usr/bin/env python3
"""The visitors of the on-sale benchmark (tests/load/onsale.sh): an open model. N visitors
arrive at times of their own, a share of them before the opening, whatever the service's speed;
each asks for a token, polls when pollAfterSeconds says, and once admitted lists the dates and
seats, holds a seat, charges and pays (or abandons, or lets the hold lapse). Every request is
recorded with the time the visitor wanted to send it, so a slow answer or a busy load generator
shows in the latency instead of thinning the load. Writes requests.tsv and visitors.jsonl."""

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time

from http_pool import Pool

KINDS = ("issue", "poll", "dates", "seats", "hold", "charge", "pay")


class Visitor:
    __slots__ = ("index", "arrive", "early", "plan", "token", "user", "arrival_number",
                 "waiting_from", "waiting_until", "admitted_at", "sold_out_at", "outcome")

    def __init__(self, index, arrive, early, plan):
        self.index, self.arrive, self.early, self.plan = index, arrive, early, plan
        self.token = self.user = self.arrival_number = None
        self.waiting_from = self.waiting_until = self.admitted_at = self.sold_out_at = None
        self.outcome = "not arrived"


class Sale:
    def __init__(self, args, pool):
        self.args, self.pool = args, pool
        self.loop = asyncio.get_running_loop()
        self.epoch_offset = time.time() - self.loop.time()  # epoch = loop time + offset
        self.records = []
        self.lags = []
        self.think = args.think_ms / 1000.0
        self.deadline = args.deadline - self.epoch_offset

    def epoch(self, loop_time):
        return loop_time + self.epoch_offset

    async def sleep_until(self, when):
        delay = when - self.loop.time()
        if delay > 0:
            await asyncio.sleep(delay)

    async def call(self, kind, visitor, want, method, path, body=None, token=None):
        status, data, asked, sent = await self.pool.request(method, path, body, token)
        done = self.loop.time()
        state = data if kind in ("issue", "poll") and isinstance(data, dict) else {}
        self.records.append((kind, visitor.index, want, asked, sent, done, status,
                             state.get("pollAfterSeconds", -1), int(bool(state.get("soldOut"))),
                             state.get("status", "-")))
        return status, data, done

    async def visit(self, visitor):
        await self.sleep_until(visitor.arrive)
        status, state, now = await self.call("issue", visitor, visitor.arrive, "POST",
                                             "/api/v1/queue/tokens", {})
        if status != 201 or not isinstance(state, dict):
            visitor.outcome = f"issue answered {status}"
            return
        visitor.token, visitor.user = state["token"], state["userId"]
        visitor.arrival_number = state.get("arrivalNumber")
        if state["status"] == "WAITING":
            visitor.waiting_from = now
        while True:
            if state.get("soldOut"):
                visitor.sold_out_at, visitor.outcome = now, "read soldOut"
                break
            if state["status"] == "ACTIVE":
                visitor.admitted_at = now
                break
            want = now + max(1, state.get("pollAfterSeconds") or 1)
            if want > self.deadline:
                visitor.outcome = "still waiting at the deadline"
                break
            await self.sleep_until(want)
            status, state, now = await self.call("poll", visitor, want, "GET",
                                                 "/api/v1/queue/tokens/me", token=visitor.token)
            if status != 200 or not isinstance(state, dict):
                visitor.outcome = f"poll answered {status}"
                break
        if visitor.waiting_from is not None:
            visitor.waiting_until = now
        if visitor.admitted_at is not None:
            visitor.outcome = await self.buy(visitor, now)

    async def buy(self, visitor, now):
        """What the admitted visitor ended with."""
        token = visitor.token
        for _ in range(3):
            now += self.think
            await self.sleep_until(now)
            status, listing, now = await self.call("dates", visitor, now, "GET",
                                                   "/api/v1/concerts/dates", token=token)
            if status != 200:
                return f"dates answered {status}"
            dates = [d["date"] for d in listing["dates"] if d["availableSeats"] > 0]
            if not dates:
                return "no seat left"
            now += self.think
            await self.sleep_until(now)
            status, seats, now = await self.call(
                "seats", visitor, now, "GET", f"/api/v1/concerts/dates/{random.choice(dates)}/seats",
                token=token)
            if status != 200:
                return f"seats answered {status}"
            if visitor.plan == "abandon":
                return "abandoned after the seat list"
            free = [s for s in seats["seats"] if s["status"] == "AVAILABLE"]
            if not free:
                continue
            seat = random.choice(free)
            now += self.think
            await self.sleep_until(now)
            status, hold, now = await self.call(
                "hold", visitor, now, "POST", "/api/v1/reservations",
                {"date": seats["date"], "seatNo": seat["seatNo"]}, token)
            if status == 201:
                break
            if status != 409:
                return f"hold answered {status}"
        else:
            return "no seat after 3 tries"
        if visitor.plan == "lapse":
            return "let the hold lapse"
        now += self.think
        await self.sleep_until(now)
        status, _, now = await self.call("charge", visitor, now, "POST",
                                         f"/api/v1/users/{visitor.user}/points/charge",
                                         {"amount": seat["price"]})
        if status != 200:
            return f"charge answered {status}"
        status, _, now = await self.call("pay", visitor, now, "POST", "/api/v1/payments",
                                         {"reservationId": hold["reservationId"]}, token)
        return "paid" if status == 201 else f"pay answered {status}"

    async def watch_lag(self):
        """How late the event loop wakes a 50 ms sleep: the load generator's own delay, which
        every request's latency includes (a lag.tsv line a tick)."""
        while True:
            before = self.loop.time()
            await asyncio.sleep(0.05)
            now = self.loop.time()
            self.lags.append((now, now - before - 0.05))

    async def progress(self, visitors):
        """A line every 5 s on stderr, so a long run shows that it moves."""
        last = 0
        while True:
            await asyncio.sleep(5)
            now = self.loop.time()
            waiting = sum(1 for v in visitors if v.waiting_from is not None and v.waiting_until is None)
            polls = sum(1 for r in self.records[last:] if r[0] == "poll")
            last = len(self.records)
            paid = sum(1 for v in visitors if v.outcome == "paid")
            print(f"[visitors] t-open {self.epoch(now) - self.args.opens_at:+.0f}s: "
                  f"{sum(1 for v in visitors if v.token)} issued, {waiting} waiting, "
                  f"{polls / 5:.0f} polls/s, {paid} paid", file=sys.stderr, flush=True)


def schedule(args):
    """Visitors with arrival times (epoch): the early share spread at random over the time before
    the opening, the rest over the time after it (a Poisson process, given the counts); a share
    plans to abandon after the seat list and another to let its hold lapse."""
    rng = random.Random(args.seed)
    early = round(args.visitors * args.early_share)
    before = args.seconds * args.early_share
    start = args.opens_at - before
    times = sorted(start + rng.uniform(0, before) for _ in range(early))
    times += sorted(args.opens_at + rng.uniform(0, args.seconds - before)
                    for _ in range(args.visitors - early))
    visitors = []
    for index, arrive in enumerate(times):
        draw = rng.random()
        plan = ("abandon" if draw < args.abandon_share else
                "lapse" if draw < args.abandon_share + args.lapse_share else "buy")
        visitors.append(Visitor(index, arrive, index < early, plan))
    return visitors


async def run(args):
    pool = Pool(args.host, args.port, args.connections, args.timeout)
    sale = Sale(args, pool)
    random.seed(args.seed + 1)
    visitors = schedule(args)
    for visitor in visitors:
        visitor.arrive -= sale.epoch_offset
    tasks = []
    ticker = asyncio.create_task(sale.progress(visitors))
    watcher = asyncio.create_task(sale.watch_lag())
    for visitor in visitors:  # started at arrival, so 20,000 timers don't wait in the heap
        await sale.sleep_until(visitor.arrive)
        tasks.append(asyncio.create_task(sale.visit(visitor)))
    _, late = await asyncio.wait(tasks, timeout=max(1.0, sale.deadline - sale.loop.time() + 15))
    for task in late:
        task.cancel()
    ticker.cancel()
    watcher.cancel()
    pool.close()
    write(args.out, sale, visitors)


def write(out, sale, visitors):
    epoch = sale.epoch
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.path.join(out, "client.json"), "w") as f:
        json.dump({"cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2)}, f)
    with open(os.path.join(out, "requests.tsv"), "w") as f:
        for kind, index, want, asked, sent, done, status, poll_after, sold_out, state in sale.records:
            f.write(f"{kind}\t{index}\t{epoch(want):.4f}\t{epoch(asked):.4f}\t{epoch(sent):.4f}\t"
                    f"{epoch(done):.4f}\t"
                    f"{status}\t{poll_after}\t{sold_out}\t{state}\n")
    with open(os.path.join(out, "lag.tsv"), "w") as f:
        for at, lag in sale.lags:
            f.write(f"{epoch(at):.4f}\t{lag:.5f}\n")
    with open(os.path.join(out, "visitors.jsonl"), "w") as f:
        for v in visitors:
            at = {name: (None if getattr(v, name) is None else round(epoch(getattr(v, name)), 4))
                  for name in ("arrive", "waiting_from", "waiting_until", "admitted_at", "sold_out_at")}
            f.write(json.dumps({"index": v.index, "early": v.early, "plan": v.plan, "token": v.token,
                                "arrivalNumber": v.arrival_number, "outcome": v.outcome, **at}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--visitors", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--opens-at", type=float, required=True, help="epoch seconds")
    parser.add_argument("--early-share", type=float, default=0.8)
    parser.add_argument("--abandon-share", type=float, default=0.1)
    parser.add_argument("--lapse-share", type=float, default=0.05)
    parser.add_argument("--think-ms", type=float, default=500)
    parser.add_argument("--connections", type=int, default=512)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--deadline", type=float, required=True, help="epoch seconds: stop waiting")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("only a gateway on this machine may be loaded")
    try:
        import uvloop  # Debian's python3-uvloop, when present: a cheaper event loop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
