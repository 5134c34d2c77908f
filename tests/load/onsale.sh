#!/usr/bin/env bash
# The on-sale benchmark (issue 21; product-spec.md "Sale day"): one sale day's minute on this
# machine, through the gateway. ONSALE_VISITORS visitors arrive over ONSALE_SECONDS (an open
# model: at times of their own, ONSALE_EARLY_PERCENT of them before opensAt), poll as
# pollAfterSeconds says, and once admitted list the seats, hold one, charge and pay, or abandon,
# or let the hold lapse. ONSALE_DATES dates of 50 seats are created through the admin API. The
# run reports the time from the opening to sold out, issue and poll latency at the peak, whether
# the early crowd was admitted exactly in the published HMAC-SHA256 order and the later one in
# arrival order, how soon every waiting visitor read soldOut, the poll load against fixed 2-second
# polling, oversold seats (PostgreSQL), 5xx answers and the queue's memory, as one table in
# tests/load/results/onsale-<UTC>.{md,json}. Reuses bench.sh's private PostgreSQL, services and
# gateway (tests/load/lib). See tests/load/README.md, "The on-sale benchmark".
#
# Environment (all optional):
#   ONSALE_VISITORS=20000  ONSALE_SECONDS=60  ONSALE_EARLY_PERCENT=80  ONSALE_DATES=10
#   ONSALE_CAPACITY=100 (QUEUE_CAPACITY)  ONSALE_TOKEN_TTL_SECONDS=30 (QUEUE_TOKEN_TTL_SECONDS)
#   ONSALE_HOLD_TTL_SECONDS=15 (HOLD_TTL_SECONDS)  ONSALE_POLL_MAX_SECONDS=20 (QUEUE_POLL_MAX_SECONDS)
#   ONSALE_ABANDON_PERCENT=10 (leave after the seat list)  ONSALE_LAPSE_PERCENT=5 (never pay)
#   ONSALE_THINK_MS=500    pause of an admitted visitor before each step
#   ONSALE_CONNECTIONS=512 keep-alive connections the visitors share
#   ONSALE_TAIL_SECONDS=120  how long after the last arrival a visitor may still wait
#   ONSALE_PEAK_SECONDS=3  width of the peak window, around the busiest second
#   ONSALE_RANDOM_SEED=1   the visitors' arrival times and plans
#   ONSALE_QUEUE_REPLICAS=2  queue replicas behind the gateway, on one database (1 or 2)
#   ONSALE_STRICT=0        1: exit 3 when a target is missed (a BROKEN row always exits 1)
#   ONSALE_RESULTS_DIR=tests/load/results  where the report goes
#   ONSALE_NO_BUILD=0, BENCH_KEEP=0, BENCH_ACCESS_LOG=0, BENCH_QUEUE_BIN, BENCH_CONCERT_BIN,
#   BENCH_PAYMENT_BIN, DB_POOL_SIZE, HTTP_IO_THREADS, HTTP_WORKER_THREADS, LOG_LEVEL: as for bench.sh
set -euo pipefail

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_HERE/../.." && pwd)
for lib in common build cluster service nginx rss stack gateway; do
  # shellcheck source=/dev/null
  source "$BENCH_HERE/lib/$lib.sh"
done

VISITORS=$(bench_int ONSALE_VISITORS 20000)
SALE_SECONDS=$(bench_int ONSALE_SECONDS 60)
EARLY_PERCENT=$(bench_int ONSALE_EARLY_PERCENT 80 0)
DATES=$(bench_int ONSALE_DATES 10)
CAPACITY=$(bench_int ONSALE_CAPACITY 100)
TOKEN_TTL=$(bench_int ONSALE_TOKEN_TTL_SECONDS 30)
HOLD_TTL=$(bench_int ONSALE_HOLD_TTL_SECONDS 15)
POLL_MAX=$(bench_int ONSALE_POLL_MAX_SECONDS 20)
ABANDON_PERCENT=$(bench_int ONSALE_ABANDON_PERCENT 10 0)
LAPSE_PERCENT=$(bench_int ONSALE_LAPSE_PERCENT 5 0)
THINK_MS=$(bench_int ONSALE_THINK_MS 500 0)
CONNECTIONS=$(bench_int ONSALE_CONNECTIONS 512)
TAIL=$(bench_int ONSALE_TAIL_SECONDS 120)
PEAK_SECONDS=$(bench_int ONSALE_PEAK_SECONDS 3)
RANDOM_SEED=$(bench_int ONSALE_RANDOM_SEED 1 0)
QUEUE_REPLICAS=$(bench_int ONSALE_QUEUE_REPLICAS 2)
if [ "$EARLY_PERCENT" -gt 100 ] || [ $(( ABANDON_PERCENT + LAPSE_PERCENT )) -gt 100 ]; then
  bench_die "ONSALE_EARLY_PERCENT and ONSALE_ABANDON_PERCENT + ONSALE_LAPSE_PERCENT are at most 100"
fi
[ "$DATES" -le 366 ] || bench_die "ONSALE_DATES is capped at 366"
"$ROOT/deploy/lib/install-deps.sh"  # the project's Debian packages, when any is missing
bench_need curl psql jq ss python3 "$NGINX"
# Debian's python3 with python3-uvloop, when both are there: a cheaper event loop for the visitors.
PYTHON=python3
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the scripts in the source tree
if /usr/bin/python3 -c 'import uvloop' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
EVENT_LOOP=$("$PYTHON" -c 'import importlib.util as u; print("uvloop" if u.find_spec("uvloop") else "asyncio")')

bench_pick_binaries "$ROOT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="${ONSALE_RESULTS_DIR:-$BENCH_HERE/results}"

bench_begin
bench_on_exit "bench_rss_stop"
if [ "${ONSALE_NO_BUILD:-0}" != 1 ] && [ -z "${BENCH_QUEUE_BIN:-}${BENCH_CONCERT_BIN:-}${BENCH_PAYMENT_BIN:-}" ]; then
  bench_build_release "$ROOT" queue-service concert-service payment-service
fi
bench_durable_cluster "$ROOT"

# The stack as bench.sh starts it, with a sale's settings: a line of ONSALE_CAPACITY that learns
# from the concert service when the seats are gone, holds and tokens that lapse within the run,
# and the queue as ONSALE_QUEUE_REPLICAS replicas behind the gateway, as a sale would run it.
BENCH_QUEUE_SETTINGS="QUEUE_CAPACITY=$CAPACITY QUEUE_TOKEN_TTL_SECONDS=$TOKEN_TTL QUEUE_POLL_MAX_SECONDS=$POLL_MAX" \
BENCH_HOLD_TTL_SECONDS=$HOLD_TTL BENCH_QUEUE_ASKS_CONCERT=1 BENCH_QUEUE_REPLICAS=$QUEUE_REPLICAS \
  bench_stack_start "$ROOT"

bench_dates_from "$(date -u -d tomorrow +%F)" "$DATES" >"$BENCH_WORKDIR/dates.txt"
bench_create_concerts "On sale" "$BENCH_WORKDIR/dates.txt"
bench_psql tickets "VACUUM (ANALYZE) concert.concerts, concert.dates, concert.seats" >/dev/null
bench_checkpoint

# The opening: far enough ahead for the early share of the minute to arrive before it.
EARLY_SECONDS=$(( SALE_SECONDS * EARLY_PERCENT / 100 ))
OPENS_EPOCH=$(( $(date +%s) + 3 + EARLY_SECONDS + 1 ))
OPENS_AT=$(date -u -d "@$OPENS_EPOCH" +%FT%TZ)
bench_expect 200 PUT "$GATEWAY/api/v1/admin/queue" "{\"opensAt\":\"$OPENS_AT\"}" -H "X-Admin-Key: $ADMIN_KEY"
bench_expect 200 GET "$GATEWAY/api/v1/queue/opening"
cp "$BENCH_WORKDIR/answer.json" "$BENCH_WORKDIR/opening-before.json"
jq -e '.seed == null and (.seedSha256 | length) == 64' "$BENCH_WORKDIR/opening-before.json" >/dev/null ||
  bench_die "the opening before opensAt should publish the seed's SHA-256 only: $(cat "$BENCH_WORKDIR/opening-before.json")"
bench_log "opensAt $OPENS_AT; $VISITORS visitors over ${SALE_SECONDS}s, $EARLY_PERCENT % before it ($PYTHON, $EVENT_LOOP)"

# onsale_cpu_ticks PID...: CPU time the processes used (user + system, and that of their children
# already waited for, e.g. PostgreSQL backends that ended), in clock ticks.
onsale_cpu_ticks() {
  local pid sum=0 fields
  for pid in "$@"; do
    read -r -a fields 2>/dev/null <"/proc/$pid/stat" || continue
    # The fields after "pid (comm) " (comm has no space here): utime, stime, cutime, cstime.
    sum=$(( sum + fields[13] + fields[14] + fields[15] + fields[16] ))
  done
  echo "$sum"
}
# onsale_cpu_snapshot: "name ticks" for the gateway, each service (the queue's replicas summed)
# and PostgreSQL (postmaster and its backends), and the machine's busy ticks (all cores).
onsale_cpu_snapshot() {
  local name postmaster pids
  for name in gateway queue concert payment; do
    bench_rss_pids "$name"
    pids=("${RSS_PIDS[@]}")
    if [ "$name" = queue ]; then bench_rss_pids queue2; pids+=("${RSS_PIDS[@]}"); fi
    echo "$name $(onsale_cpu_ticks "${pids[@]}")"
  done
  postmaster=$(head -1 "$BENCH_WORKDIR/pgdata/postmaster.pid")
  # shellcheck disable=SC2046  # a list of pids
  echo "postgresql $(onsale_cpu_ticks "$postmaster" $(cat "/proc/$postmaster/task/$postmaster/children"))"
  bench_cpu_ticks
  echo "machine $(( CPU_TICKS_TOTAL - CPU_TICKS_IDLE ))"
}

bench_rss_start "$BENCH_WORKDIR/rss.txt" queue queue2 concert payment gateway
onsale_cpu_snapshot >"$BENCH_WORKDIR/cpu-before.txt"
bench_cpu_busy_during "$PYTHON" "$BENCH_HERE/onsale/visitors.py" --port "$GATEWAY_PORT" \
  --visitors "$VISITORS" --seconds "$SALE_SECONDS" --opens-at "$OPENS_EPOCH" \
  --early-share "${EARLY_PERCENT}e-2" --abandon-share "${ABANDON_PERCENT}e-2" \
  --lapse-share "${LAPSE_PERCENT}e-2" --think-ms "$THINK_MS" --connections "$CONNECTIONS" \
  --deadline $(( OPENS_EPOCH + SALE_SECONDS - EARLY_SECONDS + TAIL )) --seed "$RANDOM_SEED" \
  --out "$BENCH_WORKDIR"
onsale_cpu_snapshot >"$BENCH_WORKDIR/cpu-after.txt"
bench_rss_stop
SALE_CPU_BUSY=$CPU_BUSY_PCT
# CPU-seconds of the sale by process, beside the machine's: the rest went to other work.
CPU_SPLIT=$(awk -v hz="$(getconf CLK_TCK)" -v client="$(jq .cpu_seconds "$BENCH_WORKDIR/client.json")" '
    NR == FNR { before[$1] = $2; next }
    { s[$1] = ($2 - before[$1]) / hz; if ($1 != "machine") ours += s[$1] }
    END { printf "visitors (Python) %.1f, gateway %.1f, queue %.1f, concert %.1f, payment %.1f, PostgreSQL %.1f; the machine %.1f, so other work %.1f",
          client, s["gateway"], s["queue"], s["concert"], s["payment"], s["postgresql"], s["machine"], s["machine"] - ours - client }' \
  "$BENCH_WORKDIR/cpu-before.txt" "$BENCH_WORKDIR/cpu-after.txt")
LOAD_AT_END=$(cut -d' ' -f1-3 /proc/loadavg)

bench_expect 200 GET "$GATEWAY/api/v1/queue/opening"
cp "$BENCH_WORKDIR/answer.json" "$BENCH_WORKDIR/opening-after.json"
# An early token's row holds its drawn place only once written again (queue migration 007).
bench_psql tickets "COPY (SELECT token, arrival_number,
  coalesce(place, queue.drawn_place_of(opening_number, arrival_number)), status, extract(epoch FROM admitted_at),
  extract(epoch FROM ended_at) FROM queue.tokens) TO STDOUT WITH (NULL '')" >"$BENCH_WORKDIR/tokens.tsv"
bench_psql tickets "SELECT json_build_object(
  'seats_total', (SELECT count(*) FROM concert.seats),
  'seats_sold', (SELECT count(*) FROM concert.seats WHERE status = 'SOLD'),
  'reservations_confirmed', (SELECT count(*) FROM concert.reservations WHERE status = 'CONFIRMED'),
  'seats_confirmed_distinct', (SELECT count(DISTINCT (date, seat_no)) FROM concert.reservations
                               WHERE status = 'CONFIRMED'),
  'payments_completed', (SELECT count(*) FROM payment.payments WHERE status = 'COMPLETED'),
  'payments_matching_confirmed', (SELECT count(*) FROM payment.payments p
      JOIN concert.reservations r ON r.id = p.reservation_id AND r.status = 'CONFIRMED'
       AND r.payment_id = p.id::text AND r.user_id = p.user_id
     WHERE p.status = 'COMPLETED'),
  'sold_out_at', (SELECT extract(epoch FROM max(confirmed_at)) FROM concert.reservations
                  WHERE status = 'CONFIRMED'))" >"$BENCH_WORKDIR/sales.json"
bench_stack_stop

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- services libs deploy 2>/dev/null ||
  COMMIT="$COMMIT (services/, libs/ or deploy/ modified)"
jq -n --arg stamp "$STAMP" --arg commit "$COMMIT" \
  --arg machine "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)" \
  --arg before "CPUs $CPU_BUSY_AT_START % busy (1 s sample), load average $LOAD_AT_START" \
  --arg during "CPUs $SALE_CPU_BUSY % busy; load average at the end $LOAD_AT_END; CPU-seconds: $CPU_SPLIT" \
  --arg pg "$(bench_psql postgres 'SHOW server_version'), $DURABILITY" --arg stack "$STACK_SETTINGS" \
  --arg sale "$VISITORS visitors over ${SALE_SECONDS} s, $EARLY_PERCENT % before opensAt $OPENS_AT; $DATES dates x 50 seats; $ABANDON_PERCENT % abandon after the seat list, $LAPSE_PERCENT % let the hold lapse, the rest pay; ${THINK_MS} ms before each step once admitted; $CONNECTIONS keep-alive connections shared; random seed $RANDOM_SEED" \
  --arg client "$("$PYTHON" --version 2>&1) with $EVENT_LOOP (tests/load/onsale/visitors.py)" '
  {stamp: $stamp, commit: $commit, lines: [
     "repo HEAD \($commit)", "machine: \($machine); the visitors, PostgreSQL, services and nginx all on it",
     "before the run: \($before); during the sale: \($during)",
     "PostgreSQL \($pg)", "stack: \($stack)", "sale: \($sale)", "load generator: \($client)"]}' \
  >"$BENCH_WORKDIR/meta.json"

mkdir -p "$RESULTS_DIR"
rc=0
"$PYTHON" "$BENCH_HERE/onsale/analyse.py" --work "$BENCH_WORKDIR" --meta "$BENCH_WORKDIR/meta.json" \
  --peak-seconds "$PEAK_SECONDS" --rss-mb "$(jq -r '[.queue.rss_mb, .queue2.rss_mb | . // 0] | max' <<<"$RSS_JSON")" \
  --json "$RESULTS_DIR/onsale-$STAMP.json" --md "$RESULTS_DIR/onsale-$STAMP.md" || rc=$?
bench_log "written to ${RESULTS_DIR#"$ROOT"/}/onsale-$STAMP.md and .json"
[ "$rc" = 0 ] || { bench_log "a row is BROKEN (errors or failed checks): its figure is not a result"; exit 1; }
if [ "${ONSALE_STRICT:-0}" = 1 ] && jq -e 'any(.rows[]; .result == "MISS")' "$RESULTS_DIR/onsale-$STAMP.json" >/dev/null; then
  exit 3
fi
