#!/usr/bin/env bash
# Queue service benchmark: in one run, on this machine, measures
#   1. pgbench: one durable INSERT per transaction (the database's limit for a write),
#   2. queue-service token issue   (POST /api/v1/queue/tokens, body {}),
#   3. queue-service token poll    (GET /api/v1/queue/tokens/me with a Bearer token),
# against the service's own port on 127.0.0.1, and prints req/s, p99 and the ratio of each to
# the pgbench INSERT rate. Everything it starts (PostgreSQL cluster, service) is private to the
# run and removed on exit. See tests/load/README.md.
#
# Environment (all optional):
#   BENCH_SECONDS=10          length of every measured run (pgbench and wrk)
#   BENCH_WARMUP_SECONDS=3    wrk warm-up before each measured wrk run (not reported)
#   BENCH_CONNECTIONS=64      wrk connections and pgbench clients
#   BENCH_WRK_THREADS=2       wrk threads (-t); pgbench uses the same number of threads (-j)
#   BENCH_TOKEN_SECONDS=2     how long to issue tokens that poll.lua then cycles through
#   BENCH_ACCESS_LOG=1        also measure issue and poll with ACCESS_LOG=1 (0 to skip)
#   BENCH_POLL_OVER_ISSUE=2   poll/issue ratio that counts as "far above issue"
#   BENCH_STRICT=0            1: exit 3 when a target is missed (broken runs always exit 1)
#   BENCH_KEEP=0              1: keep the temporary directory (logs, raw wrk/pgbench output)
#   BENCH_NO_BUILD=0          1: do not run cmake/ninja; use the existing release binary
#   BENCH_QUEUE_BIN=...       benchmark this queue-service binary instead (implies no build)
#   DB_POOL_SIZE, HTTP_IO_THREADS, HTTP_WORKER_THREADS, LOG_LEVEL: passed to the service as set.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
for lib in common build cluster service wrk pgbench report; do
  # shellcheck source=/dev/null
  source "$HERE/lib/$lib.sh"
done

DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_WRK_THREADS:-2}
TOKEN_SECONDS=${BENCH_TOKEN_SECONDS:-2}
ACCESS_LOG_PASS=${BENCH_ACCESS_LOG:-1}
POLL_OVER_ISSUE=${BENCH_POLL_OVER_ISSUE:-2}
for v in DURATION WARMUP CONNS THREADS TOKEN_SECONDS; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || bench_die "$v must be a positive integer"
done
[ "$DURATION" -le 600 ] || bench_die "BENCH_SECONDS is capped at 600"
for tool in wrk curl psql ss "$PGBENCH"; do
  command -v "$tool" >/dev/null || bench_die "$tool is not installed"
done

QUEUE_BIN="${BENCH_QUEUE_BIN:-$ROOT/build/release/services/queue/queue-service}"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$HERE/results"
RESULT_FILE="$RESULTS_DIR/queue-$STAMP.md"

bench_begin

if [ "${BENCH_NO_BUILD:-0}" != 1 ] && [ -z "${BENCH_QUEUE_BIN:-}" ]; then
  bench_build_release "$ROOT" queue-service
fi
[ -x "$QUEUE_BIN" ] || bench_die "$QUEUE_BIN missing"

# --- database -------------------------------------------------------------------------------
bench_durable_cluster "$ROOT"

bench_log "pgbench: durable INSERT, -c $CONNS -j $THREADS -T $DURATION -M prepared"
psql -X -q -v ON_ERROR_STOP=1 -h "$BENCH_PG_SOCKET" -p "$BENCH_PG_PORT" -U postgres -d tickets \
  -f "$HERE/pgbench/insert-setup.sql" >/dev/null
bench_psql tickets "CHECKPOINT" >/dev/null
bench_pgbench "$BENCH_WORKDIR" insert tickets "$HERE/pgbench/insert.sql" "$CONNS" "$THREADS" "$DURATION"
INSERT_TPS=$PGB_TPS
bench_log "pgbench INSERT: $PGB_TPS tps, p99 $PGB_P99_MS ms, failed $PGB_FAILED"
bench_row "pgbench durable INSERT (1 row/txn)" "$PGB_TPS" "$PGB_P99_MS" "$INSERT_TPS" \
  "$PGB_TXNS" "$PGB_FAILED" 0 "non-2xx column = failed transactions; p99 from a 10% sample"
bench_psql tickets "CHECKPOINT" >/dev/null

# --- queue service --------------------------------------------------------------------------
SUPER_TICKETS="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=postgres dbname=tickets"
QUEUE_URL_DB="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=queue_svc password=queue_pw dbname=tickets"
TOKENS_FILE="$BENCH_WORKDIR/tokens.txt"
declare -A ISSUE_RPS POLL_RPS

start_queue() { # ACCESS_LOG value
  QUEUE_PORT=$(bench_free_port)
  bench_service_start queue "$QUEUE_BIN" "$QUEUE_PORT" "$BENCH_WORKDIR/queue-access$1.log" \
    DATABASE_URL="$QUEUE_URL_DB" DATABASE_ADMIN_URL="$SUPER_TICKETS" \
    ACCESS_LOG="$1" LOG_LEVEL="${LOG_LEVEL:-info}" \
    QUEUE_CAPACITY=1000000 QUEUE_TOKEN_TTL_SECONDS=86400 QUEUE_ABANDON_SECONDS=86400 \
    QUEUE_ADMIT_INTERVAL_MS="${QUEUE_ADMIT_INTERVAL_MS:-1000}"
  BASE="http://127.0.0.1:$QUEUE_PORT"
  # One request each by hand, so a wrong route or shape fails loudly before any load.
  local body token
  body=$(curl -fsS --max-time 5 -X POST -H 'Content-Type: application/json' -d '{}' \
    "$BASE/api/v1/queue/tokens") || bench_die "token issue smoke request failed"
  token=$(jq -er .token <<<"$body") || bench_die "no token in issue answer: $body"
  curl -fsS --max-time 5 -o /dev/null -H "Authorization: Bearer $token" \
    "$BASE/api/v1/queue/tokens/me" || bench_die "token poll smoke request failed"
}

record_tokens() {
  bench_log "issuing tokens for poll.lua for ${TOKEN_SECONDS}s"
  rm -f "$BENCH_WORKDIR"/tokens.part.*
  bench_wrk "$BENCH_WORKDIR/wrk-record.txt" "$THREADS" "$CONNS" "$TOKEN_SECONDS" "$BASE" \
    "$HERE/wrk/record-tokens.lua" "$BENCH_WORKDIR/tokens.part"
  cat "$BENCH_WORKDIR"/tokens.part.* >"$TOKENS_FILE"
  local n
  n=$(wc -l <"$TOKENS_FILE")
  [ "$n" -ge 100 ] || bench_die "only $n tokens recorded (see $BENCH_WORKDIR/wrk-record.txt)"
  bench_log "$n tokens recorded"
}

measure() { # LABEL SCRIPT ACCESS_LOG [SCRIPT ARGS...]
  local label=$1 script=$2 access=$3; shift 3
  bench_log "$label (ACCESS_LOG=$access): warm-up ${WARMUP}s"
  bench_wrk "$BENCH_WORKDIR/wrk-$label-warmup-al$access.txt" "$THREADS" "$CONNS" "$WARMUP" \
    "$BASE" "$HERE/wrk/$script" "$@"
  bench_log "$label (ACCESS_LOG=$access): measuring ${DURATION}s, -t$THREADS -c$CONNS"
  bench_wrk "$BENCH_WORKDIR/wrk-$label-al$access.txt" "$THREADS" "$CONNS" "$DURATION" \
    "$BASE" "$HERE/wrk/$script" "$@"
  bench_log "$label: $WRK_RPS req/s, p99 $WRK_P99_MS ms, non-2xx $WRK_NON2XX, socket errors $WRK_SOCKERR"
}

run_queue_pass() { # ACCESS_LOG value
  local al=$1
  start_queue "$al"
  measure issue issue.lua "$al"
  ISSUE_RPS[$al]=$WRK_RPS
  bench_row "queue issue POST /api/v1/queue/tokens" "$WRK_RPS" "$WRK_P99_MS" "$INSERT_TPS" \
    "$WRK_REQUESTS" "$WRK_NON2XX" "$WRK_SOCKERR" "ACCESS_LOG=$al"
  [ -s "$TOKENS_FILE" ] || record_tokens
  measure poll poll.lua "$al" "$TOKENS_FILE"
  POLL_RPS[$al]=$WRK_RPS
  bench_row "queue poll GET /api/v1/queue/tokens/me" "$WRK_RPS" "$WRK_P99_MS" "$INSERT_TPS" \
    "$WRK_REQUESTS" "$WRK_NON2XX" "$WRK_SOCKERR" "ACCESS_LOG=$al; $(wc -l <"$TOKENS_FILE") tokens round-robin"
  bench_service_stop queue
}

run_queue_pass 0
[ "$ACCESS_LOG_PASS" = 1 ] && run_queue_pass 1

# --- report ---------------------------------------------------------------------------------
ISSUE_RATIO=$(bench_ratio "${ISSUE_RPS[0]}" "$INSERT_TPS")
POLL_OVER=$(bench_ratio "${POLL_RPS[0]}" "${ISSUE_RPS[0]}")
ISSUE_MET=$(awk -v r="$ISSUE_RATIO" 'BEGIN { print (r + 0 >= 0.5) ? "met" : "MISSED" }')
POLL_MET=$(awk -v r="$POLL_OVER" -v t="$POLL_OVER_ISSUE" 'BEGIN { print (r + 0 >= t + 0) ? "met" : "MISSED" }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- services libs 2>/dev/null || COMMIT="$COMMIT (services/ or libs/ modified)"

report() {
  echo "# Queue benchmark $STAMP"
  echo
  echo "- repo HEAD: $COMMIT"
  echo "- queue-service binary: $QUEUE_BIN"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r); load generator on the same machine"
  echo "- before the run: CPUs ${CPU_BUSY_AT_START}% busy (1 s sample; more than a few % means other work shares the machine), load average $LOAD_AT_START"
  echo "- PostgreSQL: $(bench_psql postgres 'SHOW server_version'), $DURABILITY"
  echo "- pgbench: custom script tests/load/pgbench/insert.sql, -c $CONNS -j $THREADS -T $DURATION -M prepared"
  echo "- wrk: -t$THREADS -c$CONNS -d${DURATION}s --latency after a ${WARMUP}s warm-up, straight to the service port"
  echo "- queue-service: QUEUE_CAPACITY=1000000 QUEUE_TOKEN_TTL_SECONDS=86400 QUEUE_ABANDON_SECONDS=86400 DB_POOL_SIZE=${DB_POOL_SIZE:-default} HTTP_IO_THREADS=${HTTP_IO_THREADS:-default} HTTP_WORKER_THREADS=${HTTP_WORKER_THREADS:-default}"
  echo
  bench_table
  echo
  echo "Targets (ACCESS_LOG=0):"
  echo "- issue >= 0.5x pgbench INSERT: ${ISSUE_RATIO}x -> $ISSUE_MET"
  echo "- poll far above issue (>= ${POLL_OVER_ISSUE}x): ${POLL_OVER}x -> $POLL_MET"
  [ "$BENCH_BROKEN" = 0 ] || echo "- WARNING: a row is BROKEN (errors, non-2xx or no requests): its req/s is not a result"
}
mkdir -p "$RESULTS_DIR"
report | tee "$RESULT_FILE"
bench_log "written to ${RESULT_FILE#"$ROOT"/}"

[ "$BENCH_BROKEN" = 0 ] || exit 1
if [ "${BENCH_STRICT:-0}" = 1 ] && { [ "$ISSUE_MET" != met ] || [ "$POLL_MET" != met ]; }; then
  exit 3
fi
exit 0
