#!/usr/bin/env bash
# Payment benchmark: in one run, on this machine, starts a private durable PostgreSQL cluster and
# the queue, concert and payment services (one database, a schema and a role each), then measures
#   1. charge    POST /api/v1/users/{userId}/points/charge, amount 1, users round-robin (wrk),
#   2. full flow reserve (concert) + pay (payment) of a distinct seat by a distinct visitor, chained
#                per visitor by driver/flow.py (wrk cannot send one flow to two ports),
# straight to each service's port on 127.0.0.1 with X-User-Id set as the gateway will, and prints
# req/s (flows/s), p99 and the target: full flows >= BENCH_TARGET_FLOWS a second. Everything it
# starts is private to the run and removed on exit. See tests/load/README.md.
#
# Environment (all optional):
#   BENCH_SECONDS=10          length of every measured run
#   BENCH_WARMUP_SECONDS=3    warm-up before each measured run (not reported)
#   BENCH_CONNECTIONS=64      wrk connections for charge; concurrent visitors for the flow
#   BENCH_WRK_THREADS=2       wrk threads (-t); driver processes for the flow
#   BENCH_MAX_FLOWS=3500      flow rate the visitor and seat pools are sized for
#   BENCH_TARGET_FLOWS=2000   full flows a second the target asks for
#   BENCH_DIAG_NO_TOKEN=1     0: skip the diagnostic flow run that pays without a queue token
#   BENCH_STRICT=0            1: exit 3 when the target is missed (broken runs always exit 1)
#   BENCH_KEEP=0              1: keep the temporary directory (logs, raw wrk/driver output)
#   BENCH_NO_BUILD=0          1: do not run cmake/ninja; use the existing release binaries
#   BENCH_QUEUE_BIN, BENCH_CONCERT_BIN, BENCH_PAYMENT_BIN: benchmark other binaries
#   DB_POOL_SIZE, HTTP_IO_THREADS, HTTP_WORKER_THREADS, LOG_LEVEL: passed to all three services.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
for lib in common build cluster service wrk report; do
  # shellcheck source=/dev/null
  source "$HERE/lib/$lib.sh"
done

DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_WRK_THREADS:-2}
MAX_FLOWS=${BENCH_MAX_FLOWS:-3500}
TARGET_FLOWS=${BENCH_TARGET_FLOWS:-2000}
for v in DURATION WARMUP CONNS THREADS MAX_FLOWS TARGET_FLOWS; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || bench_die "$v must be a positive integer"
done
[ "$DURATION" -le 600 ] || bench_die "BENCH_SECONDS is capped at 600"
[ $(( CONNS % THREADS )) = 0 ] || bench_die "BENCH_CONNECTIONS must be a multiple of BENCH_WRK_THREADS"
for tool in wrk curl psql jq ss python3; do
  command -v "$tool" >/dev/null || bench_die "$tool is not installed"
done

BIN="$ROOT/build/release/services"
QUEUE_BIN="${BENCH_QUEUE_BIN:-$BIN/queue/queue-service}"
CONCERT_BIN="${BENCH_CONCERT_BIN:-$BIN/concert/concert-service}"
PAYMENT_BIN="${BENCH_PAYMENT_BIN:-$BIN/payment/payment-service}"
DRIVER="$HERE/driver/flow.py"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$HERE/results"
RESULT_FILE="$RESULTS_DIR/payment-$STAMP.md"

# Pools: flow i is visitor i (a user with its own ACTIVE token, charged PRICE) taking seat
# i % 50 + 1 of date i / 50 from FLOW_BASE on (concert-bench's scheme, one concert per 366
# dates). Sized for the warm-up, the measured run and the tail at MAX_FLOWS, plus one visitor
# per connection. Index 0 is the smoke test's.
FLOW_BASE=2030-01-01
PRICE=50000
PER_RUN=$(( (WARMUP + DURATION + 2) * MAX_FLOWS + CONNS ))
DIAG_NO_TOKEN=${BENCH_DIAG_NO_TOKEN:-1}
VISITORS=$(( 1 + PER_RUN * (DIAG_NO_TOKEN == 1 ? 2 : 1) ))
FLOW_DAYS=$(( (VISITORS + 49) / 50 ))

bench_begin

if [ "${BENCH_NO_BUILD:-0}" != 1 ] && [ -z "${BENCH_QUEUE_BIN:-}${BENCH_CONCERT_BIN:-}${BENCH_PAYMENT_BIN:-}" ]; then
  bench_build_release "$ROOT" queue-service concert-service payment-service
fi
for b in "$QUEUE_BIN" "$CONCERT_BIN" "$PAYMENT_BIN"; do [ -x "$b" ] || bench_die "$b missing"; done

# --- database -------------------------------------------------------------------------------
bench_durable_cluster "$ROOT"

# --- services -------------------------------------------------------------------------------
SUPER_TICKETS="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=postgres dbname=tickets"
db_url() { echo "host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=$1 password=$2 dbname=tickets"; }
passthrough=(LOG_LEVEL="${LOG_LEVEL:-info}")
for v in DB_POOL_SIZE HTTP_IO_THREADS HTTP_WORKER_THREADS; do
  [ -z "${!v:-}" ] || passthrough+=("$v=${!v}")
done
ADMIN_KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
QUEUE_PORT=$(bench_free_port)
CONCERT_PORT=$(bench_free_port)
PAYMENT_PORT=$(bench_free_port)
QUEUE="http://127.0.0.1:$QUEUE_PORT"
CONCERT="http://127.0.0.1:$CONCERT_PORT"
PAYMENT="http://127.0.0.1:$PAYMENT_PORT"

bench_service_start queue "$QUEUE_BIN" "$QUEUE_PORT" "$BENCH_WORKDIR/queue.log" \
  DATABASE_URL="$(db_url queue_svc queue_bench_pw)" DATABASE_ADMIN_URL="$SUPER_TICKETS" \
  ACCESS_LOG=0 "${passthrough[@]}" \
  QUEUE_CAPACITY=1000000 QUEUE_TOKEN_TTL_SECONDS=86400 QUEUE_ABANDON_SECONDS=86400
bench_service_start concert "$CONCERT_BIN" "$CONCERT_PORT" "$BENCH_WORKDIR/concert.log" \
  DATABASE_URL="$(db_url concert_svc concert_bench_pw)" DATABASE_ADMIN_URL="$SUPER_TICKETS" \
  ACCESS_LOG=0 "${passthrough[@]}" ADMIN_API_KEY="$ADMIN_KEY" SEED_DEMO=0 \
  HOLD_TTL_SECONDS=3600 MAX_SEATS_PER_USER=50
bench_service_start payment "$PAYMENT_BIN" "$PAYMENT_PORT" "$BENCH_WORKDIR/payment.log" \
  DATABASE_URL="$(db_url payment_svc payment_bench_pw)" DATABASE_ADMIN_URL="$SUPER_TICKETS" \
  ACCESS_LOG=0 "${passthrough[@]}" QUEUE_URL="$QUEUE" CONCERT_URL="$CONCERT" \
  POINTS_MAX_CHARGE=1000000000 POINTS_MAX_BALANCE=1000000000000000

# --- data: dates, visitors, balances --------------------------------------------------------
FLOW_FILE="$BENCH_WORKDIR/flow-dates.txt"
USERS_FILE="$BENCH_WORKDIR/visitors.txt"
bench_psql postgres "SELECT to_char(date '$FLOW_BASE' + g, 'YYYY-MM-DD')
  FROM generate_series(0, $FLOW_DAYS - 1) g" >"$FLOW_FILE"
mkdir -p "$BENCH_WORKDIR/chunks"
split -l 366 -d -a 3 "$FLOW_FILE" "$BENCH_WORKDIR/chunks/dates."
n=0
for chunk in "$BENCH_WORKDIR"/chunks/dates.*; do
  n=$((n + 1))
  jq -Rn --arg title "Bench pay flow $n" --argjson price "$PRICE" \
    '{title: $title, price: $price, dates: [inputs]}' <"$chunk" >"$BENCH_WORKDIR/concert-body.json"
  status=$(curl -sS --max-time 30 -o "$BENCH_WORKDIR/concert-answer.json" -w '%{http_code}' \
    -X POST -H 'Content-Type: application/json' -H "X-Admin-Key: $ADMIN_KEY" \
    --data-binary "@$BENCH_WORKDIR/concert-body.json" "$CONCERT/api/v1/admin/concerts") ||
    bench_die "concert creation request failed"
  [ "$status" = 201 ] || bench_die "concert creation answered $status: $(cat "$BENCH_WORKDIR/concert-answer.json")"
done
bench_log "created $n concert(s) with $FLOW_DAYS dates ($(( FLOW_DAYS * 50 )) seats) at $PRICE"

bench_log "minting $VISITORS visitors (user + ACTIVE token each) through the queue"
timeout --kill-after=5 600 python3 "$DRIVER" mint --queue "$QUEUE" --count "$VISITORS" \
  --out "$USERS_FILE" --conns "$CONNS" --procs "$THREADS" >"$BENCH_WORKDIR/mint.json" ||
  bench_die "minting visitors failed: $(cat "$BENCH_WORKDIR/mint.json")"
bench_log "charging every visitor $PRICE points (the seat's price)"
timeout --kill-after=5 600 python3 "$DRIVER" fund --payment "$PAYMENT" --users "$USERS_FILE" \
  --amount "$PRICE" --conns "$CONNS" --procs "$THREADS" >"$BENCH_WORKDIR/fund.json" ||
  bench_die "charging visitors failed: $(cat "$BENCH_WORKDIR/fund.json")"
bench_psql tickets "VACUUM (ANALYZE)" >/dev/null
bench_psql tickets "CHECKPOINT" >/dev/null

# One flow by hand (visitor 0, seat 1 of the first date), so a wrong route or shape fails loudly
# before any load: reserve 201, pay 201, paying again 409, the token is expired afterwards.
read -r SMOKE_USER SMOKE_TOKEN < <(head -1 "$USERS_FILE")
smoke() { # URL BODY [HEADERS...]: prints the status; the answer is in smoke.json, the time in ms in smoke.ms
  local url=$1 body=$2 out; shift 2
  out=$(curl -sS --max-time 10 -o "$BENCH_WORKDIR/smoke.json" -w '%{http_code} %{time_total}' -X POST \
    -H 'Content-Type: application/json' "$@" -d "$body" "$url") || true
  awk '{ printf "%.1f", $2 * 1000 }' <<<"$out" >"$BENCH_WORKDIR/smoke.ms"
  echo "${out%% *}"
}
[ "$(smoke "$CONCERT/api/v1/reservations" "{\"date\":\"$(head -1 "$FLOW_FILE")\",\"seatNo\":1}" \
  -H "X-User-Id: $SMOKE_USER")" = 201 ] || bench_die "reserve smoke request failed: $(cat "$BENCH_WORKDIR/smoke.json")"
SMOKE_RESERVE_MS=$(cat "$BENCH_WORKDIR/smoke.ms")
SMOKE_RESERVATION=$(jq -er .reservationId "$BENCH_WORKDIR/smoke.json") || bench_die "no reservationId in $(cat "$BENCH_WORKDIR/smoke.json")"
pay_smoke() {
  smoke "$PAYMENT/api/v1/payments" "{\"reservationId\":$SMOKE_RESERVATION}" \
    -H "X-User-Id: $SMOKE_USER" -H "Authorization: Bearer $SMOKE_TOKEN"
}
[ "$(pay_smoke)" = 201 ] || bench_die "pay smoke request failed: $(cat "$BENCH_WORKDIR/smoke.json")"
SMOKE_PAY_MS=$(cat "$BENCH_WORKDIR/smoke.ms")
second=$(pay_smoke)
[ "${second:0:1}" = 4 ] || bench_die "paying a paid reservation again answered $second: $(cat "$BENCH_WORKDIR/smoke.json")"
token_status=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $SMOKE_TOKEN" "$QUEUE/api/v1/queue/tokens/me")
[ "$token_status" = 401 ] || bench_die "the smoke visitor's token still answers $token_status after payment"
bench_log "smoke flow ok: reserve $SMOKE_RESERVE_MS ms, pay $SMOKE_PAY_MS ms (one at a time, curl); pay again: $second, token afterwards: $token_status"

# --- 1. charge ------------------------------------------------------------------------------
bench_log "charge: warm-up ${WARMUP}s"
bench_wrk "$BENCH_WORKDIR/wrk-charge-warmup.txt" "$THREADS" "$CONNS" "$WARMUP" "$PAYMENT" \
  "$HERE/wrk/charge.lua" "$USERS_FILE"
bench_log "charge: measuring ${DURATION}s, -t$THREADS -c$CONNS"
bench_wrk "$BENCH_WORKDIR/wrk-charge.txt" "$THREADS" "$CONNS" "$DURATION" "$PAYMENT" \
  "$HERE/wrk/charge.lua" "$USERS_FILE"
bench_log "charge: $WRK_RPS req/s, p99 $WRK_P99_MS ms, non-2xx $WRK_NON2XX, socket errors $WRK_SOCKERR"
CHARGE_RPS=$WRK_RPS
bench_row "charge POST /api/v1/users/{userId}/points/charge" "$WRK_RPS" "$WRK_P99_MS" "$TARGET_FLOWS" \
  "$WRK_REQUESTS" "$WRK_NON2XX" "$WRK_SOCKERR" \
  "wrk; amount 1; $(wc -l <"$USERS_FILE") users round-robin (req/s)"
bench_psql tickets "CHECKPOINT" >/dev/null

# --- 2. full flow: reserve + pay ------------------------------------------------------------
# run_flow LABEL FIRST_VISITOR END_VISITOR [DRIVER ARGS...]: one driver run over visitors
# [FIRST, END); sets FLOW_JSON, FLOWS_PER_S, TOP_WAITS, PAID (201s of payments) and FLOW_BAD
# (non-2xx + pools run out), FLOW_SOCKERR.
run_flow() {
  local label=$1 first=$2 end=$3; shift 3
  bench_log "$label: ${WARMUP}s warm-up + ${DURATION}s measured, $CONNS visitors in $THREADS processes"
  FLOW_JSON="$BENCH_WORKDIR/flow-$label.json"
  # Where the database sessions wait during the flow: sampled every 0.5 s in the background.
  local waits="$BENCH_WORKDIR/waits-$label.txt" waits_pid rc=0
  (
    stop_at=$(( SECONDS + WARMUP + DURATION + 2 ))
    while [ $SECONDS -lt $stop_at ]; do
      bench_psql postgres "SELECT usename || ' ' || coalesce(wait_event_type, 'CPU') || ':' ||
        coalesce(wait_event, '-') FROM pg_stat_activity
        WHERE datname = 'tickets' AND state = 'active' AND pid <> pg_backend_pid()" 2>/dev/null || true
      sleep 0.5
    done >"$waits"
  ) &
  waits_pid=$!
  bench_on_exit "kill $waits_pid 2>/dev/null || true"
  timeout --kill-after=5 $(( WARMUP + DURATION + 120 )) python3 "$DRIVER" flow \
    --concert "$CONCERT" --payment "$PAYMENT" --users "$USERS_FILE" --dates "$FLOW_FILE" \
    --start "$first" --end "$end" --warmup "$WARMUP" --duration "$DURATION" --conns "$CONNS" \
    --procs "$THREADS" --out "$FLOW_JSON" "$@" >"$BENCH_WORKDIR/flow-$label.out" 2>&1 || rc=$?
  kill "$waits_pid" 2>/dev/null || true
  wait "$waits_pid" 2>/dev/null || true
  [ -s "$FLOW_JSON" ] || { cat "$BENCH_WORKDIR/flow-$label.out" >&2; bench_die "flow driver gave no result (exit $rc)"; }
  # The five most frequent (role, wait) pairs of active sessions, as "count role wait; ...".
  TOP_WAITS=$(sort "$waits" | uniq -c | sort -rn | head -5 |
    awk '{ printf "%s%s %s %s", (NR > 1 ? "; " : ""), $1, $2, $3 }')
  FLOWS_PER_S=$(j .flows_per_s)
  FLOW_BAD=$(( $(j '[.unexpected[]] | add // 0') + $(j .exhausted) ))
  FLOW_SOCKERR=$(( $(j .socket_errors) + $(j .unfinished) ))
  PAID=$(j .pay_ok_total)
  [ "$(j '[.unexpected[]] | add // 0')" = 0 ] || bench_log "error: unexpected answers: $(j -c .unexpected)"
  [ "$(j .exhausted)" = 0 ] || bench_log "error: $(j .exhausted) visitors ran out of seats/visitors (raise BENCH_MAX_FLOWS)"
  bench_log "$label: $FLOWS_PER_S flows/s, flow p99 $(ms .latency_ms.flow.p99) ms, driver used $(j .driver_cpu_cores) cores; waits: $TOP_WAITS"
}
j() { jq -r "$1" "$FLOW_JSON"; }
ms() { jq -r "$1 * 100 | round / 100" "$FLOW_JSON"; }  # a latency, two decimals
step_non2xx() { j "[.unexpected | to_entries[] | select(.key | startswith(\"$1 \")) | .value] | add // 0"; }
count() { bench_psql tickets "SELECT count(*) FROM $1"; }

run_flow flow 1 $(( 1 + PER_RUN ))
# Every 201 of a payment must have left a COMPLETED payment, a CONFIRMED reservation and an
# EXPIRED token (smoke flow included); any shortfall counts as a failure of the flow row.
PAID_TOTAL=$(( PAID + 1 ))
COMPLETED=$(count "payment.payments WHERE status = 'COMPLETED'")
CONFIRMED=$(count "concert.reservations WHERE status = 'CONFIRMED'")
EXPIRED=$(count "queue.tokens WHERE status = 'EXPIRED'")
EXPIRY_PENDING=$(count "payment.token_expiries WHERE done_at IS NULL")
LOST=0
for got in "$COMPLETED" "$CONFIRMED" "$EXPIRED"; do
  [ "$got" -ge "$PAID_TOTAL" ] || LOST=$(( LOST > PAID_TOTAL - got ? LOST : PAID_TOTAL - got ))
done
[ "$LOST" = 0 ] || bench_log "error: $PAID_TOTAL payments answered 201 but $COMPLETED COMPLETED, $CONFIRMED CONFIRMED, $EXPIRED tokens EXPIRED"
CHECKS="$COMPLETED payments COMPLETED, $CONFIRMED reservations CONFIRMED, $EXPIRED tokens EXPIRED, $EXPIRY_PENDING token expiries still queued"
bench_log "after the flow: $CHECKS"
FLOW_RPS=$FLOWS_PER_S
SAMPLES=$(( (WARMUP + DURATION + 2) * 2 ))
FLOW_WAITS=$TOP_WAITS
FLOW_LATENCY="flow p50 $(ms .latency_ms.flow.p50), p90 $(ms .latency_ms.flow.p90), p99 $(ms .latency_ms.flow.p99), max $(ms .latency_ms.flow.max); reserve p50 $(ms .latency_ms.reserve.p50), p99 $(ms .latency_ms.reserve.p99); pay p50 $(ms .latency_ms.pay.p50), p99 $(ms .latency_ms.pay.p99)"
bench_row "full flow: reserve + pay (flows/s)" "$FLOWS_PER_S" "$(j .latency_ms.flow.p99)" "$TARGET_FLOWS" \
  "$(j .flows_in_window)" $(( FLOW_BAD + LOST )) "$FLOW_SOCKERR" \
  "flow.py, $CONNS visitors; a new visitor, token and seat per flow; requests = flows; driver used $(printf '%.2f' "$(j .driver_cpu_cores)") cores"
bench_row "- step reserve POST /api/v1/reservations (concert)" "$(j .reserve_per_s)" "$(j .latency_ms.reserve.p99)" "$TARGET_FLOWS" \
  "$(j .reserve_in_window)" "$(step_non2xx reserve)" 0 "inside the flow"
bench_row "- step pay POST /api/v1/payments (payment)" "$(j .pay_per_s)" "$(j .latency_ms.pay.p99)" "$TARGET_FLOWS" \
  "$(j .pay_in_window)" "$(step_non2xx pay)" 0 \
  "inside the flow; reads the reservation, debits, confirms the seat, completes, expires the token"

# Diagnostic: the same flow, paying without the bearer token, so no queue token is expired.
# Not the real flow (a visitor's token must stop working): it shows what the rest of the chain
# reaches, i.e. how much the token expiry costs.
NOTOKEN_RPS=""
if [ "$DIAG_NO_TOKEN" = 1 ]; then
  bench_psql tickets "CHECKPOINT" >/dev/null
  run_flow flow-no-token $(( 1 + PER_RUN )) $(( 1 + 2 * PER_RUN )) --no-token
  NOTOKEN_RPS=$FLOWS_PER_S
  NOTOKEN_WAITS=$TOP_WAITS
  COMPLETED2=$(count "payment.payments WHERE status = 'COMPLETED'")
  LOST2=$(( PAID_TOTAL + PAID > COMPLETED2 ? PAID_TOTAL + PAID - COMPLETED2 : 0 ))
  bench_row "diagnostic: full flow, pay without token (no token expiry)" "$FLOWS_PER_S" "$(j .latency_ms.flow.p99)" "$TARGET_FLOWS" \
    "$(j .flows_in_window)" $(( FLOW_BAD + LOST2 )) "$FLOW_SOCKERR" \
    "not the real flow: no Authorization, so the payment expires no queue token; pay p99 $(ms .latency_ms.pay.p99) ms"
fi

bench_service_stop payment
bench_service_stop concert
bench_service_stop queue

# --- report ---------------------------------------------------------------------------------
FLOW_MET=$(awk -v r="$FLOW_RPS" -v t="$TARGET_FLOWS" 'BEGIN { print (r + 0 >= t + 0) ? "met" : "MISSED" }')
[ "$BENCH_BROKEN" = 0 ] || FLOW_MET="not judged (a row is BROKEN)"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- services libs 2>/dev/null || COMMIT="$COMMIT (services/ or libs/ modified)"

report() {
  echo "# Payment benchmark $STAMP"
  echo
  echo "- repo HEAD: $COMMIT"
  echo "- binaries: $QUEUE_BIN, $CONCERT_BIN, $PAYMENT_BIN"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r); load generator on the same machine"
  echo "- before the run: CPUs ${CPU_BUSY_AT_START}% busy (1 s sample; more than a few % means other work shares the machine), load average $LOAD_AT_START"
  echo "- PostgreSQL: $(bench_psql postgres 'SHOW server_version'), $DURABILITY; one database, the three services' schemas and roles"
  echo "- charge: wrk -t$THREADS -c$CONNS -d${DURATION}s --latency after a ${WARMUP}s warm-up"
  echo "- full flow: tests/load/driver/flow.py, $CONNS visitors in $THREADS processes, ${DURATION}s measured after a ${WARMUP}s warm-up; each flow is a fresh visitor (user + ACTIVE token minted through the queue, charged $PRICE) reserving a seat nobody asked for and paying for it with its own token"
  echo "- services: ACCESS_LOG=0; queue QUEUE_CAPACITY=1000000; concert HOLD_TTL_SECONDS=3600 MAX_SEATS_PER_USER=50; payment POINTS_MAX_BALANCE=1e15; DB_POOL_SIZE=${DB_POOL_SIZE:-default} HTTP_IO_THREADS=${HTTP_IO_THREADS:-default} HTTP_WORKER_THREADS=${HTTP_WORKER_THREADS:-default}"
  echo "- pools: $VISITORS visitors, $FLOW_DAYS dates ($(( FLOW_DAYS * 50 )) seats) from $FLOW_BASE; after the flow run $CHECKS"
  echo "- full flow latency ms under load: $FLOW_LATENCY"
  echo "- active database sessions during the full flow, most frequent (count role wait_event_type:wait_event) over about $SAMPLES samples: ${FLOW_WAITS:-none}"
  [ -z "$NOTOKEN_RPS" ] || echo "- the same during the diagnostic run without token: ${NOTOKEN_WAITS:-none}"
  echo "- smoke flow before the load, one request at a time (curl): reserve $SMOKE_RESERVE_MS ms, pay $SMOKE_PAY_MS ms"
  echo
  bench_table "target ${TARGET_FLOWS} flows/s"
  echo
  echo "Targets:"
  echo "- full flow (reserve + pay) >= $TARGET_FLOWS flows/s: $(printf '%.0f' "$FLOW_RPS") flows/s -> $FLOW_MET"
  echo "- for reference (no target): charge $(printf '%.0f' "$CHARGE_RPS") req/s"
  [ -z "$NOTOKEN_RPS" ] || echo "- diagnostic (no target): the flow without the queue token expiry $(printf '%.0f' "$NOTOKEN_RPS") flows/s"
  [ "$BENCH_BROKEN" = 0 ] || echo "- WARNING: a row is BROKEN (errors, non-2xx, lost payments, pools ran out or no requests): its rate is not a result"
}
mkdir -p "$RESULTS_DIR"
report | tee "$RESULT_FILE"
bench_log "written to ${RESULT_FILE#"$ROOT"/}"

[ "$BENCH_BROKEN" = 0 ] || exit 1
if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$FLOW_MET" != met ]; then
  exit 3
fi
exit 0
