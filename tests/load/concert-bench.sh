#!/usr/bin/env bash
# Concert service benchmark: in one run, on this machine, measures
#   1. pgbench: the seat hold's conditional UPDATE ("take_seat"), one durable UPDATE per
#      transaction on a seats-shaped table, every one on a free seat (the database's limit),
#      and, for reference, the whole hold transaction in the service's own schema,
#   2. concert-service seat list (GET /api/v1/concerts/dates/{date}/seats, a few dates
#      round-robin),
#   3. concert-service reserve    (POST /api/v1/reservations, every request a new free seat and a
#      new user),
# against the service's own port on 127.0.0.1, and prints req/s, p99 and the ratio of each to
# the pgbench UPDATE rate. Everything it starts (PostgreSQL cluster, service) is private to the
# run and removed on exit. See tests/load/README.md.
#
# Environment (all optional):
#   BENCH_SECONDS=10              length of every measured run (pgbench and wrk)
#   BENCH_WARMUP_SECONDS=3        wrk warm-up before each measured wrk run (not reported)
#   BENCH_CONNECTIONS=64          wrk connections and pgbench clients
#   BENCH_WRK_THREADS=2           wrk threads (-t); pgbench uses the same number of threads (-j)
#   BENCH_MAX_RPS=15000           reserve rate the seat pool is sized for (warm-up + measured run)
#   BENCH_LIST_DATES=8            dates the seat list cycles through
#   BENCH_LIST_OVER_RESERVE=5     seat list/reserve ratio that counts as "many times faster"
#   BENCH_RESERVE_OVER_UPDATE=0.3 reserve/pgbench UPDATE ratio the reserve target asks for
#   BENCH_STRICT=0                1: exit 3 when a target is missed (broken runs always exit 1)
#   BENCH_KEEP=0                  1: keep the temporary directory (logs, raw wrk/pgbench output)
#   BENCH_NO_BUILD=0              1: do not run cmake/ninja; use the existing release binary
#   BENCH_CONCERT_BIN=...         benchmark this concert-service binary instead (implies no build)
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
MAX_RPS=${BENCH_MAX_RPS:-15000}
LIST_DATES=${BENCH_LIST_DATES:-8}
LIST_OVER_RESERVE=${BENCH_LIST_OVER_RESERVE:-5}
RESERVE_OVER_UPDATE=${BENCH_RESERVE_OVER_UPDATE:-0.3}
for v in DURATION WARMUP CONNS THREADS MAX_RPS LIST_DATES; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || bench_die "$v must be a positive integer"
done
[ "$DURATION" -le 600 ] || bench_die "BENCH_SECONDS is capped at 600"
[ "$LIST_DATES" -le 366 ] || bench_die "BENCH_LIST_DATES is capped at 366"
for tool in wrk curl psql jq ss "$PGBENCH"; do
  command -v "$tool" >/dev/null || bench_die "$tool is not installed"
done

CONCERT_BIN="${BENCH_CONCERT_BIN:-$ROOT/build/release/services/concert/concert-service}"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$HERE/results"
RESULT_FILE="$RESULTS_DIR/concert-$STAMP.md"

# Dates: the seat list reads LIST_DATES dates from LIST_BASE on; reserve takes seats of
# RESERVE_DAYS consecutive dates from RESERVE_BASE on (one concert per 366 dates). The pool
# holds the warm-up and the measured run at MAX_RPS, plus room for the gap left between them.
LIST_BASE=2029-01-01
RESERVE_BASE=2030-01-01
RESERVE_SEATS_NEEDED=$(( (WARMUP + DURATION) * MAX_RPS + 2 * CONNS * THREADS + 1000 ))
RESERVE_DAYS=$(( (RESERVE_SEATS_NEEDED + 49) / 50 ))
# The pgbench table is sized the same way for three times the rate: the bare UPDATE is faster.
PGB_DAYS=$(( (DURATION * MAX_RPS * 3 + 50 * CONNS + 49) / 50 ))
TXN_DAYS=$(( (DURATION * MAX_RPS + 50 * CONNS + 49) / 50 ))

bench_begin

if [ "${BENCH_NO_BUILD:-0}" != 1 ] && [ -z "${BENCH_CONCERT_BIN:-}" ]; then
  bench_build_release "$ROOT" concert-service
fi
[ -x "$CONCERT_BIN" ] || bench_die "$CONCERT_BIN missing"

# --- database -------------------------------------------------------------------------------
bench_durable_cluster "$ROOT"

# --- pgbench: the hold's conditional UPDATE -------------------------------------------------
bench_log "pgbench: seats-shaped table of $PGB_DAYS dates x 50 seats"
psql -X -q -v ON_ERROR_STOP=1 -v base_date="$RESERVE_BASE" -v days="$PGB_DAYS" \
  -h "$BENCH_PG_SOCKET" -p "$BENCH_PG_PORT" -U postgres -d tickets \
  -f "$HERE/pgbench/hold-setup.sql" >/dev/null
bench_psql tickets "CHECKPOINT" >/dev/null
NOW_US=$(( $(date +%s) * 1000000 ))
bench_log "pgbench: conditional UPDATE, -c $CONNS -j $THREADS -T $DURATION -M prepared"
bench_pgbench "$BENCH_WORKDIR" hold tickets "$HERE/pgbench/hold.sql" "$CONNS" "$THREADS" "$DURATION" \
  -D n=-1 -D clients="$CONNS" -D base_date="$RESERVE_BASE" \
  -D now_us="$NOW_US" -D expires_us=$(( NOW_US + 3600 * 1000000 ))
UPDATE_TPS=$PGB_TPS
# pgbench counts an UPDATE that matched no row as a success: count the rows it really took.
PGB_HELD=$(bench_psql tickets "SELECT count(*) FROM bench.seats WHERE status = 'HELD'")
PGB_MISSED=$(( PGB_TXNS > PGB_HELD ? PGB_TXNS - PGB_HELD : 0 ))
bench_log "pgbench UPDATE: $PGB_TPS tps, p99 $PGB_P99_MS ms, failed $PGB_FAILED, $PGB_HELD of $PGB_TXNS UPDATEs took a seat"
bench_row "pgbench conditional UPDATE (take_seat, 1/txn)" "$PGB_TPS" "$PGB_P99_MS" "$UPDATE_TPS" \
  "$PGB_TXNS" $(( PGB_FAILED + PGB_MISSED )) 0 \
  "non-2xx column = failed transactions + UPDATEs that took no seat ($PGB_MISSED); p99 from a 10% sample; $((PGB_DAYS * 50)) rows"
bench_psql tickets "CHECKPOINT" >/dev/null

# --- pgbench: the whole hold transaction (reference, no target) ------------------------------
# The service's schema (its migrations, in schema bench_hold) and the hold's four statements in
# one transaction: what the database alone gives for reserve on this machine.
bench_log "pgbench: whole hold transaction, service schema with $TXN_DAYS dates x 50 seats"
migration_args=()
for migration in "$ROOT"/services/concert/migrations/*.sql; do migration_args+=(-f "$migration"); done
psql -X -q -v ON_ERROR_STOP=1 -v base_date="$RESERVE_BASE" -v days="$TXN_DAYS" \
  -h "$BENCH_PG_SOCKET" -p "$BENCH_PG_PORT" -U postgres -d tickets \
  -f "$HERE/pgbench/hold-txn-setup.sql" "${migration_args[@]}" -f "$HERE/pgbench/hold-txn-fill.sql" >/dev/null
bench_psql tickets "CHECKPOINT" >/dev/null
bench_log "pgbench: whole hold transaction, -c $CONNS -j $THREADS -T $DURATION -M prepared"
bench_pgbench "$BENCH_WORKDIR" hold-txn tickets "$HERE/pgbench/hold-txn.sql" "$CONNS" "$THREADS" "$DURATION" \
  -D n=-1 -D clients="$CONNS" -D base_date="$RESERVE_BASE" \
  -D now_us="$NOW_US" -D expires_us=$(( NOW_US + 3600 * 1000000 ))
TXN_TPS=$PGB_TPS
TXN_HELD=$(bench_psql tickets "SELECT count(*) FROM bench_hold.reservations")
TXN_MISSED=$(( PGB_TXNS > TXN_HELD ? PGB_TXNS - TXN_HELD : 0 ))
bench_log "pgbench hold transaction: $PGB_TPS tps, p99 $PGB_P99_MS ms, failed $PGB_FAILED, $TXN_HELD holds of $PGB_TXNS"
bench_row "pgbench whole hold transaction (reference)" "$PGB_TPS" "$PGB_P99_MS" "$UPDATE_TPS" \
  "$PGB_TXNS" $(( PGB_FAILED + TXN_MISSED )) 0 \
  "lock + live-reservation count + take_seat + reservation INSERT in one txn, service schema; no target"
bench_psql tickets "CHECKPOINT" >/dev/null

# --- concert service ------------------------------------------------------------------------
SUPER_TICKETS="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=postgres dbname=tickets"
CONCERT_URL_DB="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=concert_svc password=concert_pw dbname=tickets"
ADMIN_KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
CONCERT_PORT=$(bench_free_port)
BASE="http://127.0.0.1:$CONCERT_PORT"
bench_service_start concert "$CONCERT_BIN" "$CONCERT_PORT" "$BENCH_WORKDIR/concert.log" \
  DATABASE_URL="$CONCERT_URL_DB" DATABASE_ADMIN_URL="$SUPER_TICKETS" \
  ACCESS_LOG=0 LOG_LEVEL="${LOG_LEVEL:-info}" ADMIN_API_KEY="$ADMIN_KEY" SEED_DEMO=0 \
  HOLD_TTL_SECONDS=3600

# dates_from BASE COUNT: COUNT consecutive dates from BASE, one YYYY-MM-DD a line.
dates_from() {
  bench_psql postgres "SELECT to_char(date '$1' + g, 'YYYY-MM-DD') FROM generate_series(0, $2 - 1) g"
}

# create_concerts TITLE DATES_FILE: one concert per 366 dates of the file, through the admin API.
create_concerts() {
  local title=$1 file=$2 chunk status n=0
  mkdir -p "$BENCH_WORKDIR/chunks"
  rm -f "$BENCH_WORKDIR"/chunks/*
  split -l 366 -d -a 3 "$file" "$BENCH_WORKDIR/chunks/dates."
  for chunk in "$BENCH_WORKDIR"/chunks/dates.*; do
    n=$((n + 1))
    jq -Rn --arg title "$title $n" '{title: $title, price: 50000, dates: [inputs]}' <"$chunk" \
      >"$BENCH_WORKDIR/concert-body.json"
    status=$(curl -sS --max-time 30 -o "$BENCH_WORKDIR/concert-answer.json" -w '%{http_code}' \
      -X POST -H 'Content-Type: application/json' -H "X-Admin-Key: $ADMIN_KEY" \
      --data-binary "@$BENCH_WORKDIR/concert-body.json" "$BASE/api/v1/admin/concerts") ||
      bench_die "concert creation request failed"
    [ "$status" = 201 ] || bench_die "concert creation answered $status: $(cat "$BENCH_WORKDIR/concert-answer.json")"
  done
  bench_log "created $n concert(s) '$title' with $(wc -l <"$file") dates"
}

LIST_FILE="$BENCH_WORKDIR/list-dates.txt"
RESERVE_FILE="$BENCH_WORKDIR/reserve-dates.txt"
dates_from "$LIST_BASE" "$LIST_DATES" >"$LIST_FILE"
dates_from "$RESERVE_BASE" "$RESERVE_DAYS" >"$RESERVE_FILE"
create_concerts "Bench seat list" "$LIST_FILE"
create_concerts "Bench reserve" "$RESERVE_FILE"
bench_psql tickets "VACUUM (ANALYZE) concert.seats, concert.dates, concert.concerts" >/dev/null
bench_psql tickets "CHECKPOINT" >/dev/null

# One request of each kind by hand, so a wrong route or shape fails loudly before any load.
LIST_USER=00000000-0000-4000-8000-ffffffffffff
SMOKE_DATE=$(tail -1 "$LIST_FILE")
seat_count=$(curl -fsS --max-time 5 -H "X-User-Id: $LIST_USER" \
  "$BASE/api/v1/concerts/dates/$(head -1 "$LIST_FILE")/seats" | jq -e '.seats | length') ||
  bench_die "seat list smoke request failed"
[ "$seat_count" = 50 ] || bench_die "seat list smoke request listed $seat_count seats, not 50"
reserve_smoke() { # USER_ID: prints the status of a hold of seat 50 of SMOKE_DATE
  curl -sS --max-time 5 -o "$BENCH_WORKDIR/smoke-reserve.json" -w '%{http_code}' \
    -X POST -H 'Content-Type: application/json' -H "X-User-Id: $1" \
    -d "{\"date\":\"$SMOKE_DATE\",\"seatNo\":50}" "$BASE/api/v1/reservations"
}
[ "$(reserve_smoke 00000000-0000-4000-9000-000000000001)" = 201 ] ||
  bench_die "reserve smoke request failed: $(cat "$BENCH_WORKDIR/smoke-reserve.json")"
[ "$(reserve_smoke 00000000-0000-4000-9000-000000000002)" = 409 ] &&
  [ "$(jq -r .code "$BENCH_WORKDIR/smoke-reserve.json")" = SEAT_UNAVAILABLE ] ||
  bench_die "a second hold of a held seat was not 409 SEAT_UNAVAILABLE: $(cat "$BENCH_WORKDIR/smoke-reserve.json")"

measure() { # LABEL SCRIPT [SCRIPT ARGS...] (the measured run; warm up separately)
  local label=$1 script=$2; shift 2
  bench_log "$label: measuring ${DURATION}s, -t$THREADS -c$CONNS"
  bench_wrk "$BENCH_WORKDIR/wrk-$label.txt" "$THREADS" "$CONNS" "$DURATION" \
    "$BASE" "$HERE/wrk/$script" "$@"
  bench_log "$label: $WRK_RPS req/s, p99 $WRK_P99_MS ms, non-2xx $WRK_NON2XX, socket errors $WRK_SOCKERR"
}
warm_up() { # LABEL SCRIPT [SCRIPT ARGS...]
  local label=$1 script=$2; shift 2
  bench_log "$label: warm-up ${WARMUP}s"
  bench_wrk "$BENCH_WORKDIR/wrk-$label-warmup.txt" "$THREADS" "$CONNS" "$WARMUP" \
    "$BASE" "$HERE/wrk/$script" "$@"
  WARM_OK=$(( WRK_REQUESTS - WRK_NON2XX ))
}

# Seat list.
warm_up seats seats.lua "$LIST_FILE" "$LIST_USER"
measure seats seats.lua "$LIST_FILE" "$LIST_USER"
LIST_RPS=$WRK_RPS
bench_row "seat list GET /api/v1/concerts/dates/{date}/seats" "$WRK_RPS" "$WRK_P99_MS" "$UPDATE_TPS" \
  "$WRK_REQUESTS" "$WRK_NON2XX" "$WRK_SOCKERR" "$LIST_DATES dates round-robin, 50 seats each"

# Reserve. The measured run starts past every seat the warm-up may have asked for: the highest
# seat index it holds, plus room for requests that were still in flight when it stopped.
held_max_index() {
  bench_psql tickets "SELECT coalesce(max((date - date '$RESERVE_BASE') * 50 + seat_no - 1), -1)
    FROM concert.seats WHERE status <> 'AVAILABLE' AND date >= date '$RESERVE_BASE'"
}
warm_up reserve reserve.lua "$RESERVE_FILE" 0 "$THREADS"
[ "$WRK_NON2XX" = 0 ] || bench_die "reserve warm-up had $WRK_NON2XX non-2xx answers (see $BENCH_WORKDIR/concert.log; BENCH_KEEP=1 keeps it)"
WARM_RESERVED=$WARM_OK
START=$(( $(held_max_index) + 1 + 2 * CONNS * THREADS ))
CAPACITY=$(( RESERVE_DAYS * 50 - START ))
bench_log "reserve: measured run starts at seat index $START; $CAPACITY free seats left (${MAX_RPS}/s for ${DURATION}s needs $(( MAX_RPS * DURATION )))"
measure reserve reserve.lua "$RESERVE_FILE" "$START" "$THREADS"
RESERVE_RPS=$WRK_RPS
HELD=$(bench_psql tickets "SELECT count(*) FROM concert.seats WHERE status = 'HELD' AND date >= date '$RESERVE_BASE'")
RESERVE_OK=$(( WRK_REQUESTS - WRK_NON2XX ))
# Every 201 held one seat: fewer held seats than 201s (warm-up + measured) count as failures.
RESERVE_LOST=$(( WARM_RESERVED + RESERVE_OK - HELD ))
[ "$RESERVE_LOST" -gt 0 ] || RESERVE_LOST=0
[ "$RESERVE_LOST" = 0 ] || bench_log "error: $HELD seats held after $(( WARM_RESERVED + RESERVE_OK )) successful reserves"
bench_row "reserve POST /api/v1/reservations" "$WRK_RPS" "$WRK_P99_MS" "$UPDATE_TPS" \
  "$WRK_REQUESTS" $(( WRK_NON2XX + RESERVE_LOST )) "$WRK_SOCKERR" \
  "a new seat and user per request; $CAPACITY seats were free; $HELD seats held after warm-up + run (non-2xx column adds 201s without a held seat: $RESERVE_LOST)"
bench_service_stop concert

# --- report ---------------------------------------------------------------------------------
RESERVE_RATIO=$(bench_ratio "$RESERVE_RPS" "$UPDATE_TPS")
LIST_OVER=$(bench_ratio "$LIST_RPS" "$RESERVE_RPS")
RESERVE_OVER_TXN=$(bench_ratio "$RESERVE_RPS" "$TXN_TPS")
RESERVE_MET=$(awk -v r="$RESERVE_RATIO" -v t="$RESERVE_OVER_UPDATE" 'BEGIN { print (r + 0 >= t + 0) ? "met" : "MISSED" }')
LIST_MET=$(awk -v r="$LIST_OVER" -v t="$LIST_OVER_RESERVE" 'BEGIN { print (r + 0 >= t + 0) ? "met" : "MISSED" }')
if [ "$BENCH_BROKEN" != 0 ]; then  # ratios of broken rows are not results
  RESERVE_MET="not judged (a row is BROKEN)"
  LIST_MET=$RESERVE_MET
fi
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- services libs 2>/dev/null || COMMIT="$COMMIT (services/ or libs/ modified)"

report() {
  echo "# Concert benchmark $STAMP"
  echo
  echo "- repo HEAD: $COMMIT"
  echo "- concert-service binary: $CONCERT_BIN"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r); load generator on the same machine"
  echo "- before the run: CPUs ${CPU_BUSY_AT_START}% busy (1 s sample; more than a few % means other work shares the machine), load average $LOAD_AT_START"
  echo "- PostgreSQL: $(bench_psql postgres 'SHOW server_version'), $DURABILITY"
  echo "- pgbench: custom script tests/load/pgbench/hold.sql (the take_seat UPDATE, a distinct free seat per transaction), -c $CONNS -j $THREADS -T $DURATION -M prepared"
  echo "- wrk: -t$THREADS -c$CONNS -d${DURATION}s --latency after a ${WARMUP}s warm-up, straight to the service port, X-User-Id set as the gateway would"
  echo "- concert-service: ACCESS_LOG=0 HOLD_TTL_SECONDS=3600 MAX_SEATS_PER_USER=default DB_POOL_SIZE=${DB_POOL_SIZE:-default} HTTP_IO_THREADS=${HTTP_IO_THREADS:-default} HTTP_WORKER_THREADS=${HTTP_WORKER_THREADS:-default}; reserve pool $RESERVE_DAYS dates ($((RESERVE_DAYS * 50)) seats) from $RESERVE_BASE"
  echo
  bench_table "pgbench UPDATE"
  echo
  echo "Targets:"
  echo "- seat list many times faster than reserve (>= ${LIST_OVER_RESERVE}x): ${LIST_OVER}x -> $LIST_MET"
  echo "- reserve >= ${RESERVE_OVER_UPDATE}x pgbench UPDATE: ${RESERVE_RATIO}x -> $RESERVE_MET"
  echo "- for reference (no target): reserve / pgbench whole hold transaction = ${RESERVE_OVER_TXN}x"
  [ "$BENCH_BROKEN" = 0 ] || echo "- WARNING: a row is BROKEN (errors, non-2xx, UPDATEs or holds that took no seat, or no requests): its req/s is not a result"
}
mkdir -p "$RESULTS_DIR"
report | tee "$RESULT_FILE"
bench_log "written to ${RESULT_FILE#"$ROOT"/}"

[ "$BENCH_BROKEN" = 0 ] || exit 1
if [ "${BENCH_STRICT:-0}" = 1 ] && { [ "$RESERVE_MET" != met ] || [ "$LIST_MET" != met ]; }; then
  exit 3
fi
exit 0
