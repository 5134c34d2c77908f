#!/usr/bin/env bash
# The benchmark: in one run, on this machine, measures the limits of the building blocks and the
# public paths through the gateway side by side, judges each figure against its target, and
# prints one table (also written as Markdown and JSON to tests/load/results/bench-<UTC>.{md,json}).
#
#   limits   pgbench durable INSERT, conditional seat-hold UPDATE, primary-key SELECT
#            (-c CONNS -j THREADS -M prepared); nginx returning a constant; nginx proxying to it
#   gateway  wrk -tTHREADS -cCONNS --latency through the nginx gateway: token issue, poll, seat
#            list (gated), reserve (gated, a free seat each time), charge, and the full flow
#            issue -> admitted -> reserve -> charge -> pay in completed payments a second
#   growth   poll and issue with 1,000 and with 1,000,000 tokens waiting in the line
# with p50/p99 of each, each service's memory (VmRSS) under load, each figure's ratio to its
# limit and pass/MISS against the targets. Everything it starts (a durable PostgreSQL cluster,
# the three services, the gateway, an nginx for the limits) is private to the run, on free
# ports of 127.0.0.1, and stopped on exit whatever happens. See tests/load/README.md.
#
# Environment (all optional):
#   BENCH_SECONDS=10          length of every measured run (pgbench and wrk)
#   BENCH_WARMUP_SECONDS=3    wrk warm-up before each measured wrk run (not reported; 0: none)
#   BENCH_CONNECTIONS=64      wrk connections and pgbench clients
#   BENCH_WRK_THREADS=2       wrk threads (-t) and pgbench threads (-j)
#   BENCH_ONLY=               comma-separated parts to run: limits, gateway, growth (default all);
#                             flow: only the gateway's full flow (part of gateway), for quick work on it
#   BENCH_ACCESS_LOG=0        1: services and gateway write their access logs, as deployed
#   BENCH_TOKEN_SECONDS=2     how long tokens are issued for poll, seat list, reserve and charge
#   BENCH_LIST_DATES=8        dates the seat list cycles through
#   BENCH_RESERVE_MAX_RPS=12000, BENCH_FLOW_MAX_RATE=4000, BENCH_UPDATE_MAX_TPS=40000:
#                             rates the seat pools are sized for (running out shows as errors)
#   BENCH_SELECT_ROWS=200000  rows of the primary-key SELECT's table
#   BENCH_GROWTH_POLL_TOKENS=1000  WAITING tokens polled in the growth part
#   BENCH_STRICT=0            1: exit 3 when a target is missed (a BROKEN row always exits 1)
#   BENCH_KEEP=0              1: keep the work directory (logs, raw wrk/pgbench output)
#   BENCH_NO_BUILD=0          1: no cmake; use the release binaries as they are
#   BENCH_QUEUE_BIN, BENCH_CONCERT_BIN, BENCH_PAYMENT_BIN: benchmark other binaries (no build)
#   DB_POOL_SIZE, HTTP_IO_THREADS, HTTP_WORKER_THREADS, LOG_LEVEL: passed on to the services.
set -euo pipefail

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_HERE/../.." && pwd)
for lib in common build cluster service nginx rss wrk pgbench report stack limits gateway growth; do
  # shellcheck source=/dev/null
  source "$BENCH_HERE/lib/$lib.sh"
done

DURATION=$(bench_int BENCH_SECONDS 10)
WARMUP=$(bench_int BENCH_WARMUP_SECONDS 3 0)
CONNS=$(bench_int BENCH_CONNECTIONS 64)
THREADS=$(bench_int BENCH_WRK_THREADS 2)
TOKEN_SECONDS=$(bench_int BENCH_TOKEN_SECONDS 2)
LIST_DATES=$(bench_int BENCH_LIST_DATES 8)
RESERVE_MAX_RPS=$(bench_int BENCH_RESERVE_MAX_RPS 12000)
FLOW_MAX_RATE=$(bench_int BENCH_FLOW_MAX_RATE 4000)
UPDATE_MAX_TPS=$(bench_int BENCH_UPDATE_MAX_TPS 40000)
SELECT_ROWS=$(bench_int BENCH_SELECT_ROWS 200000)
GROWTH_POLL_TOKENS=$(bench_int BENCH_GROWTH_POLL_TOKENS 1000)
[ "$DURATION" -le 600 ] || bench_die "BENCH_SECONDS is capped at 600"
[ "$LIST_DATES" -le 366 ] || bench_die "BENCH_LIST_DATES is capped at 366"
[ $(( CONNS % THREADS )) = 0 ] || bench_die "BENCH_CONNECTIONS must be a multiple of BENCH_WRK_THREADS"
[[ ${BENCH_ONLY:-} =~ ^((limits|gateway|flow|growth)(,|$))*$ ]] || bench_die "BENCH_ONLY lists parts out of limits, gateway, flow, growth: '${BENCH_ONLY:-}'"
"$ROOT/deploy/lib/install-deps.sh"  # the project's Debian packages, when any is missing
bench_need wrk curl psql jq ss awk split "$PGBENCH" "$NGINX"

bench_pick_binaries "$ROOT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$BENCH_HERE/results"
STACK_NEEDED=0
if bench_part gateway || bench_part flow || bench_part growth; then STACK_NEEDED=1; fi

bench_begin
bench_on_exit "bench_rss_stop; bench_waits_stop"
: >"$(bench_rows_file)"

# --- build and database ---------------------------------------------------------------------
if [ "$STACK_NEEDED" = 1 ] && [ "${BENCH_NO_BUILD:-0}" != 1 ] &&
   [ -z "${BENCH_QUEUE_BIN:-}${BENCH_CONCERT_BIN:-}${BENCH_PAYMENT_BIN:-}" ]; then
  bench_build_release "$ROOT" queue-service concert-service payment-service
fi
bench_durable_cluster "$ROOT"

# --- the parts ------------------------------------------------------------------------------
BENCH_RSS_NAMES=""
if bench_part limits; then bench_limits; fi
if [ "$STACK_NEEDED" = 1 ]; then
  for b in "$QUEUE_BIN" "$CONCERT_BIN" "$PAYMENT_BIN"; do [ -x "$b" ] || bench_die "$b is not built"; done
  bench_stack_start "$ROOT"
  BENCH_RSS_NAMES="queue concert payment gateway"
  if bench_part gateway; then bench_gateway; elif bench_part flow; then bench_gateway_flow_only; fi
  if bench_part growth; then bench_growth; fi
  bench_stack_stop
fi

# --- memory: the most each process held during any measured run through the gateway ----------
for name in queue concert payment gateway; do
  [ "$STACK_NEEDED" = 1 ] || break
  target='{"max_value": 50}'
  label="$name service"
  if [ "$name" = gateway ]; then target='{}'; label="gateway (nginx master + workers)"; fi
  bench_add_row "$(jq -s --arg name "$name" --arg what "$label" --argjson targets "$target" '
    [.[] | select(.rss[$name] != null) | {id, rss: .rss[$name]}] as $runs
    | ($runs | max_by(.rss.rss_mb)) as $top
    | {id: "memory_\($name)", section: "memory", name: "RSS under load, \($what)",
       value: ($top.rss.rss_mb // null), unit: "MB", p50_ms: null, p99_ms: null,
       requests: null, non2xx: 0, socket_errors: 0, bad: 0, limit: null, ratio_kind: "rate",
       targets: $targets, rss: {},
       note: "largest VmRSS sampled every \(env.BENCH_RSS_INTERVAL // "0.25") s during the measured runs through the gateway (in run \($top.id // "-")); peak VmHWM since start \([$runs[].rss.hwm_mb] | max // "-") MB",
       detail: {runs: $runs}}' "$(bench_rows_file)")"
done

# --- report ---------------------------------------------------------------------------------
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- services libs deploy 2>/dev/null ||
  COMMIT="$COMMIT (services/, libs/ or deploy/ modified)"
META=$(jq -n --arg stamp "$STAMP" --arg commit "$COMMIT" --arg only "${BENCH_ONLY:-limits,gateway,growth}" \
  --argjson seconds "$DURATION" --argjson warmup "$WARMUP" --argjson conns "$CONNS" --argjson threads "$THREADS" \
  --arg machine "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)" \
  --arg busy "$CPU_BUSY_AT_START" --arg load "$LOAD_AT_START" --arg load_end "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg pg "$(bench_psql postgres 'SHOW server_version'), $DURABILITY" \
  --arg stack "${STACK_SETTINGS:-not started}" --arg waits "${FLOW_WAITS:-}" '
  {stamp: $stamp, commit: $commit, parts: $only, seconds: $seconds, warmup_seconds: $warmup,
   connections: $conns, threads: $threads, machine: $machine, cpu_busy_before_pct: ($busy | tonumber),
   loadavg_before: $load, loadavg_after: $load_end, postgresql: $pg, stack: $stack, flow_waits: $waits,
   lines: [
     "repo HEAD \($commit); parts: \($only)",
     "machine: \($machine); load generator, PostgreSQL, services and nginx all on it",
     "before the run: CPUs \($busy)% busy (1 s sample; more than a few % means other work shared the machine and the figures are noisy), load average \($load); after: \($load_end)",
     "PostgreSQL \($pg); one database, a schema and role per service",
     "pgbench -c \($conns) -j \($threads) -T \($seconds) -M prepared; wrk -t\($threads) -c\($conns) -d\($seconds)s --latency after a \($warmup)s warm-up; p50/p99 of single requests (wrk histogram; pgbench: 10% sample)",
     "stack: \($stack)"
   ],
   after: ([if $waits != "" then "database sessions during the full flow, most frequent (count role wait): \($waits)" else empty end]
     + ["ratio: value / the named limit, except growth rows: cost = req/s at 1k / req/s at 1M (1.00 = no growth); RSS: largest VmRSS of each process during that measured run (MB); errors: non-2xx + socket errors + failed checks (a row with any is BROKEN)"])}')

mkdir -p "$RESULTS_DIR"
JSON_FILE="$RESULTS_DIR/bench-$STAMP.json"
MD_FILE="$RESULTS_DIR/bench-$STAMP.md"
bench_report_json "$META" >"$JSON_FILE"
bench_report_md "$JSON_FILE" >"$MD_FILE"
echo
cat "$MD_FILE"
bench_log "written to ${MD_FILE#"$ROOT"/} and ${JSON_FILE#"$ROOT"/}"

if jq -e 'any(.rows[]; .result == "BROKEN")' "$JSON_FILE" >/dev/null; then
  bench_log "a row is BROKEN (errors, non-2xx answers, failed checks or no requests): its figure is not a result"
  exit 1
fi
if [ "${BENCH_STRICT:-0}" = 1 ] && jq -e 'any(.rows[]; .result == "MISS")' "$JSON_FILE" >/dev/null; then
  exit 3
fi
exit 0
