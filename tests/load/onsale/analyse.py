#!/usr/bin/env python3
"""Figures and verdicts of one on-sale run (tests/load/onsale.sh) from what the visitors recorded
(requests.tsv, visitors.jsonl), the published opening (opening-before.json, opening-after.json),
the queue's tokens (tokens.tsv) and the sale's counts in PostgreSQL (sales.json). Writes the
report as JSON and Markdown, and exits 1 when a row is BROKEN (errors or failed checks)."""

import argparse
import bisect
import hashlib
import hmac
import json
import math
import os
from collections import Counter, namedtuple
from datetime import datetime

SERVER_ERROR = 500
# One exchange as the visitors recorded it (epoch seconds): wanted to send, handed to the pool,
# written on a connection, answered.
Request = namedtuple("Request", "kind visitor want asked sent done status poll_after sold_out state")


def percentile(values, share):
    """Nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def load(work):
    requests = []
    with open(os.path.join(work, "requests.tsv")) as f:
        for line in f:
            kind, index, want, asked, sent, done, status, poll_after, sold_out, state = line.rstrip("\n").split("\t")
            requests.append(Request(kind, int(index), float(want), float(asked), float(sent), float(done),
                                    int(status), int(poll_after), sold_out == "1", state))
    with open(os.path.join(work, "lag.tsv")) as f:
        lags = [tuple(map(float, line.split("\t"))) for line in f]
    with open(os.path.join(work, "visitors.jsonl")) as f:
        visitors = [json.loads(line) for line in f]
    tokens = {}
    with open(os.path.join(work, "tokens.tsv")) as f:
        for line in f:
            token, arrival, place, status, admitted, ended = line.rstrip("\n").split("\t")
            tokens[token] = {"arrival": int(arrival) if arrival else None,
                             "place": int(place) if place else None, "status": status,
                             "admitted": float(admitted) if admitted else None,
                             "ended": float(ended) if ended else None}
    read = lambda name: json.load(open(os.path.join(work, name)))
    return (requests, lags, visitors, tokens, read("opening-before.json"), read("opening-after.json"),
            read("sales.json"))


def waiting_counter(visitors, end):
    """count(t): visitors holding a WAITING token at time t (by what they were told)."""
    starts = sorted(v["waiting_from"] for v in visitors if v["waiting_from"] is not None)
    ends = sorted(v["waiting_until"] or end for v in visitors if v["waiting_from"] is not None)
    return lambda t: bisect.bisect_right(starts, t) - bisect.bisect_right(ends, t)


def mean_waiting(count, start, stop):
    steps = max(10, int((stop - start) * 10))  # every 0.1 s
    samples = [count(start + (stop - start) * (i + 0.5) / steps) for i in range(steps)]
    return sum(samples) / len(samples)


def peak_window(requests, width, among=None):
    """[start, stop) of `width` seconds around the busiest second (requests by wanted time); with
    `among`, the busiest of the seconds in which a request of that kind was wanted."""
    per_second = Counter(int(r.want) for r in requests)
    candidates = {int(r.want) for r in requests if r.kind == among} if among else per_second
    busiest = max(candidates or per_second, key=per_second.get)
    start = busiest - (width - 1) // 2
    return start, start + width, busiest, per_second[busiest]


def latencies_ms(requests, kind, start, stop):
    """In ms: as the visitor saw it (wanted -> answered), waiting for a connection (asked ->
    written) and on the wire (written -> answered)."""
    chosen = [r for r in requests if r.kind == kind and start <= r.want < stop]
    return ([(r.done - r.want) * 1000 for r in chosen], [(r.sent - r.asked) * 1000 for r in chosen],
            [(r.done - r.sent) * 1000 for r in chosen])


def drawn_ranks(seed, early_count):
    """Arrival number -> place: arrival numbers sorted by HMAC-SHA256(seed, decimal ASCII)."""
    order = sorted(range(1, early_count + 1),
                   key=lambda a: hmac.new(seed, str(a).encode(), hashlib.sha256).digest())
    return {arrival: place for place, arrival in enumerate(order, start=1)}


def served_in_order(tokens):
    """Tokens admitted in place order: none admitted while a token placed before it still waited
    or was admitted later. Returns the set of tokens admitted out of order."""
    out_of_order = set()
    latest_admitted = latest_waiting_end = -math.inf
    for token, row in sorted(((t, r) for t, r in tokens.items() if r["place"] is not None),
                             key=lambda item: item[1]["place"]):
        if row["admitted"] is None:
            latest_waiting_end = max(latest_waiting_end, row["ended"] or math.inf)
            continue
        if row["admitted"] < latest_admitted or row["admitted"] < latest_waiting_end:
            out_of_order.add(token)
        latest_admitted = max(latest_admitted, row["admitted"])
    return out_of_order


def causal_violations(visitors, issue_times, key):
    """Visitors whose number (key) is below that of someone whose issue had been answered before
    theirs was sent: the order of arrival as the visitors themselves saw it."""
    ordered = sorted(((issue_times[v["index"]][0], v) for v in visitors if v["index"] in issue_times),
                     key=lambda pair: pair[0])
    answered = sorted((issue_times[v["index"]][1], key(v)) for v in visitors if v["index"] in issue_times)
    bad, best, at = 0, -math.inf, 0
    for sent, visitor in ordered:
        while at < len(answered) and answered[at][0] < sent:
            best = max(best, answered[at][1])
            at += 1
        bad += key(visitor) < best
    return bad


def row(rows, id_, name, value, unit, target=None, ok=None, p50=None, p99=None, bad=0, note=""):
    result = "BROKEN" if bad else "-" if ok is None else "pass" if ok else "MISS"
    rows.append({"id": id_, "name": name, "value": value, "unit": unit, "p50": p50, "p99": p99,
                 "target": target, "result": result, "bad": bad, "note": note})


def fairness_rows(rows, visitors, requests, tokens, before, after):
    seed = bytes.fromhex(after["seed"] or "")
    published = before["seedSha256"] == after["seedSha256"] == hashlib.sha256(seed).hexdigest()
    ranks = drawn_ranks(seed, after["earlyCount"])
    mine = {v["token"]: v for v in visitors if v["token"] in tokens}
    early = {t: r for t, r in tokens.items() if r["arrival"] is not None}
    later = {t: r for t, r in tokens.items() if r["arrival"] is None}
    base = min((r["place"] for r in early.values()), default=1) - 1
    misplaced = sum(r["place"] is None or r["place"] - base != ranks.get(r["arrival"]) for r in early.values())
    behind = sum(r["place"] <= base + len(early) for r in later.values())
    out_of_order = served_in_order(tokens)
    issue_times = {r.visitor: (r.sent, r.done) for r in requests if r.kind == "issue" and r.status == 201}
    mine_early = [v for t, v in mine.items() if tokens[t]["arrival"] is not None]
    mine_later = [v for t, v in mine.items() if tokens[t]["arrival"] is None]
    numbering = causal_violations(mine_early, issue_times, lambda v: tokens[v["token"]]["arrival"])
    queued = causal_violations(mine_later, issue_times, lambda v: tokens[v["token"]]["place"])
    for label, group, extra, note in (
            ("early visitors (before opensAt) admitted in the HMAC-SHA256 order", early,
             misplaced + numbering + (not published),
             f"{len(early) - misplaced:,} of {len(early):,} early places equal their rank by "
             f"HMAC-SHA256(seed, arrival number), recomputed here from the seed GET /api/v1/queue/opening "
             f"published after the opening; its SHA-256 {'matches' if published else 'does NOT match'} "
             f"the one published before; arrival numbers against the visitors' own order of issue: "
             f"{numbering} out of order"),
            ("later visitors admitted in arrival order", later, queued + behind,
             f"{len(later) - behind:,} of {len(later):,} later tokens placed behind every early one; "
             f"places against the visitors' own order of issue (a token answered before another was "
             f"asked for must be ahead of it): {queued} out of order")):
        admitted = [t for t, r in group.items() if r["admitted"] is not None]
        wrong = sum(t in out_of_order for t in admitted)
        share = 100.0 * (len(admitted) - wrong) / len(admitted) if admitted else None
        row(rows, "order_" + label.split()[0], label, share, "%", "100 % (exact)",
            share is None or share == 100.0, bad=wrong + extra,
            note=f"{len(admitted) - wrong:,} of {len(admitted):,} admitted in order; " + note)


def sold_out_rows(rows, visitors, requests, tokens, opens_at, sales, interval):
    sold_out_at = sales["sold_out_at"]
    sold = sales["seats_sold"] == sales["seats_total"]
    row(rows, "sold_out", "time from opening to sold out (last seat SOLD)",
        sold_out_at - opens_at if sold else None, "s", None, None, bad=0 if sold else 1,
        note=f"{sales['seats_sold']:,} of {sales['seats_total']:,} seats SOLD at the end")
    if not sold:
        return
    told = {}  # visitor -> pollAfterSeconds of their last answer before the sell-out
    for r in requests:
        if r.kind in ("issue", "poll") and r.done < sold_out_at and r.poll_after >= 0:
            told[r.visitor] = r.poll_after
    # Waiting at the sell-out by the line's own record: not admitted by then, still polling.
    admitted = {v["index"]: tokens[v["token"]]["admitted"] for v in visitors if v["token"] in tokens}
    waiting = [v for v in visitors if v["waiting_from"] is not None and v["waiting_from"] < sold_out_at
               and (v["waiting_until"] is None or v["waiting_until"] >= sold_out_at)
               and (admitted.get(v["index"]) or math.inf) > sold_out_at]
    delays = [v["sold_out_at"] - sold_out_at for v in waiting if v["sold_out_at"] is not None]
    beyond = [d - told.get(v["index"], 0) for v, d in zip(
        (v for v in waiting if v["sold_out_at"] is not None), delays)]
    never = len(waiting) - len(delays)
    late = percentile(beyond, 0.99)
    row(rows, "sold_out_notice", "sold-out notice: last seat SOLD -> every waiting visitor reads soldOut",
        percentile(delays, 0.99), "s p99", f"p99 - own pollAfterSeconds <= {2 * interval:g} s (2 intervals)",
        late is not None and late <= 2 * interval, p50=percentile(delays, 0.5), p99=percentile(delays, 0.99),
        bad=never, note=f"{len(waiting):,} visitors waiting at the sell-out, {never} never read soldOut; "
        f"latest notice {max(delays, default=0):.1f} s; p99 of (delay - the pollAfterSeconds each was "
        f"last given) {late if late is None else round(late, 2)} s; largest pollAfterSeconds given "
        f"{max(told.values(), default=0)} s")


def load_rows(rows, requests, lags, visitors, width, opens_at, sold_out_at):
    start, stop, busiest, count = peak_window(requests, width)
    for kind in ("issue", "poll"):
        # Visitors may have stopped arriving by the busiest second: issues are judged at the
        # busiest second in which some still arrived.
        a, b, _, _ = peak_window(requests, width, among=kind)
        late = [lag * 1000 for at, lag in lags if a <= at < b]
        seen, pooled, wire = latencies_ms(requests, kind, a, b)
        everywhere, _, _ = latencies_ms(requests, kind, -math.inf, math.inf)
        p99 = percentile(seen, 0.99)
        row(rows, f"{kind}_peak", f"{kind} latency at the peak", len(seen) / width, "req/s",
            "p99 <= 50 ms", p99 is not None and p99 <= 50, p50=percentile(seen, 0.5), p99=p99,
            note=f"seconds {a - opens_at:+.0f}..{b - opens_at:+.0f} from opensAt; "
                 f"from the time the visitor wanted to send to the answer, which includes the load "
                 f"generator's event loop waking late (p99 {percentile(late, 0.99) or 0:.0f} ms) and "
                 f"waiting for a free connection (p99 {percentile(pooled, 0.99) or 0:.0f} ms); on the "
                 f"wire (written -> answered) p50 {percentile(wire, 0.5) or 0:.1f} ms, p99 "
                 f"{percentile(wire, 0.99) or 0:.0f} ms; whole run p99 {percentile(everywhere, 0.99) or 0:.0f} ms")
    count_waiting = waiting_counter(visitors, max(r.done for r in requests))
    polls = sorted(r.want for r in requests if r.kind == "poll")
    end = sold_out_at or (polls[-1] if polls else opens_at + 1)
    for id_, name, a, b, target in (
            ("poll_load_peak", "poll load at the peak", start, stop, "<= 0.25x fixed 2-s polling"),
            ("poll_load_sale", "poll load from opening to sold out (mean)", opens_at, end, None)):
        rate = (bisect.bisect_left(polls, b) - bisect.bisect_left(polls, a)) / (b - a)
        waiting = mean_waiting(count_waiting, a, b)
        ratio = rate / (0.5 * waiting) if waiting else None
        row(rows, id_, name, rate, "polls/s", target,
            None if target is None else ratio is not None and ratio <= 0.25,
            note=f"{ratio if ratio is None else round(ratio, 3)}x fixed 2-second polling: "
                 f"{waiting:,.0f} waiting x 0.5/s = {0.5 * waiting:,.0f} polls/s "
                 f"(seconds {a - opens_at:+.0f}..{b - opens_at:+.0f} from opensAt)")
    return start, busiest, count


def timeline(requests, visitors, opens_at, step):
    """Per `step` seconds from the first request: waiting visitors (mean), requests a second by
    kind, and the poll latency as the visitors saw it."""
    count_waiting = waiting_counter(visitors, max(r.done for r in requests))
    first = math.floor((min(r.want for r in requests) - opens_at) / step) * step
    blocks = {}
    for r in requests:
        blocks.setdefault(first + math.floor((r.want - opens_at - first) / step) * step, []).append(r)
    out = []
    for offset, chosen in sorted(blocks.items()):
        kinds = Counter(r.kind for r in chosen)
        polls = [(r.done - r.want) * 1000 for r in chosen if r.kind == "poll"]
        out.append({"from_opening_s": offset,
                    "waiting": round(mean_waiting(count_waiting, opens_at + offset, opens_at + offset + step)),
                    "issue_per_s": kinds["issue"] / step, "poll_per_s": kinds["poll"] / step,
                    "buying_per_s": (len(chosen) - kinds["issue"] - kinds["poll"]) / step,
                    "poll_p99_ms": percentile(polls, 0.99)})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", required=True)
    parser.add_argument("--meta", required=True, help="JSON: stamp, commit, lines, settings")
    parser.add_argument("--interval", type=float, default=1.0, help="QUEUE_ADMIT_INTERVAL_MS / 1000")
    parser.add_argument("--peak-seconds", type=int, default=3)
    parser.add_argument("--rss-mb", type=float, required=True)
    parser.add_argument("--step-seconds", type=int, default=5, help="the Markdown timeline's step")
    parser.add_argument("--json", required=True)
    parser.add_argument("--md", required=True)
    args = parser.parse_args()
    requests, lags, visitors, tokens, before, after, sales = load(args.work)
    opens_at = datetime.fromisoformat(after["opensAt"].replace("Z", "+00:00")).timestamp()
    rows = []
    sold_out_rows(rows, visitors, requests, tokens, opens_at, sales, args.interval)
    peak, busiest, count = load_rows(rows, requests, lags, visitors, args.peak_seconds, opens_at,
                                     sales["sold_out_at"] if sales["seats_sold"] == sales["seats_total"] else None)
    fairness_rows(rows, visitors, requests, tokens, before, after)
    errors = Counter(f"{r.kind} {r.status}" for r in requests if r.status >= SERVER_ERROR or r.status == 0)
    row(rows, "server_errors", "5xx answers and failed exchanges", sum(errors.values()), "", "0",
        not errors, bad=sum(errors.values()), note=", ".join(f"{k}: {n}" for k, n in errors.items()))
    oversold = sales["seats_sold"] - sales["payments_completed"]
    broken = (sales["reservations_confirmed"] - sales["seats_confirmed_distinct"]
              + sales["payments_completed"] - sales["payments_matching_confirmed"])
    row(rows, "oversold", "oversold seats (SOLD seats - COMPLETED payments)", oversold, "", "0",
        oversold == 0, bad=abs(oversold) + abs(broken),
        note=f"{sales['seats_sold']:,} SOLD, {sales['payments_completed']:,} COMPLETED payments, "
             f"{sales['reservations_confirmed']:,} CONFIRMED reservations on "
             f"{sales['seats_confirmed_distinct']:,} distinct seats, {sales['payments_matching_confirmed']:,} "
             f"payments whose reservation is CONFIRMED")
    row(rows, "queue_rss", "queue service RSS (largest sampled, of either replica)", args.rss_mb, "MB", "<= 50 MB",
        args.rss_mb <= 50)
    statuses = Counter(f"{r.kind} {r.status}" for r in requests)
    outcomes = Counter(v["outcome"] for v in visitors)
    meta = json.load(open(args.meta))
    meta["peak"] = (f"the peak: seconds {peak - opens_at:+.0f}..{peak - opens_at + args.peak_seconds:+.0f} "
                    f"from opensAt, around the busiest second ({count:,} requests wanted in it)")
    meta["statuses"] = dict(sorted(statuses.items()))
    meta["outcomes"] = dict(outcomes.most_common())
    report = {"meta": meta, "rows": rows, "timeline": timeline(requests, visitors, opens_at, 1),
              "steps": timeline(requests, visitors, opens_at, args.step_seconds)}
    json.dump(report, open(args.json, "w"), indent=1)
    open(args.md, "w").write(markdown(report))
    print(markdown(report))
    raise SystemExit(1 if any(r["result"] == "BROKEN" for r in rows) else 0)


def markdown(report):
    def figure(value):
        if value is None:
            return "-"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    meta = report["meta"]
    lines = [f"# On-sale benchmark {meta['stamp']}", ""] + [f"- {line}" for line in meta["lines"]]
    lines += [f"- {meta['peak']}", "",
              "| # | what | figure | p50 | p99 | target | result |", "|---:|---|---:|---:|---:|---|---|"]
    for n, r in enumerate(report["rows"], start=1):
        unit = " ms" if r["unit"] in ("req/s",) else " s" if r["unit"] == "s p99" else ""
        result = f"**{r['result']}**" if r["result"] in ("MISS", "BROKEN") else r["result"]
        value = "-" if r["value"] is None else f"{figure(r['value'])} {r['unit']}".strip()
        lines.append(f"| {n} | {r['name']} | {value} | {figure(r['p50'])}{unit if r['p50'] is not None else ''} "
                     f"| {figure(r['p99'])}{unit if r['p99'] is not None else ''} | {r['target'] or '-'} | {result} |")
    lines += ["", "Notes:"] + [f"- {n}: {r['note']}" for n, r in enumerate(report["rows"], start=1) if r["note"]]
    lines += ["", "The sale, step by step (seconds from opensAt; polls' p99 as the visitors saw it):", "",
              "| from s | waiting | issues/s | polls/s | buying/s | poll p99 ms |", "|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {s['from_opening_s']:+d} | {s['waiting']:,} | {figure(s['issue_per_s'])} | {figure(s['poll_per_s'])} "
              f"| {figure(s['buying_per_s'])} | {figure(s['poll_p99_ms'])} |" for s in report["steps"]]
    lines += ["", f"- visitors' outcomes: " + ", ".join(f"{k} {v:,}" for k, v in meta["outcomes"].items()),
              f"- answers (route status count): " + ", ".join(f"{k} {v:,}" for k, v in meta["statuses"].items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
