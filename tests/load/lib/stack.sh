# shellcheck shell=bash
# The system under test, private to the run: the three services on free ports, sharing the run's
# PostgreSQL cluster with a schema and role each (as deploy/local/stack.sh wires them), and the
# nginx gateway in front of them, configured by deploy/gateway/render.sh.

# bench_stack_start ROOT: starts queue, concert, payment and the gateway with settings that let
# load through, and sets GATEWAY (the gateway's URL), QUEUE_PORT, CONCERT_PORT, PAYMENT_PORT,
# GATEWAY_PORT, ADMIN_KEY, INTERNAL_KEY and STACK_SETTINGS (a description for the report). Reads:
#   BENCH_ACCESS_LOG (0): ACCESS_LOG of the services and the gateway's access log
#   QUEUE_BIN, CONCERT_BIN, PAYMENT_BIN: the binaries
#   DB_POOL_SIZE, HTTP_IO_THREADS, HTTP_WORKER_THREADS, LOG_LEVEL: passed on when set
#   BENCH_QUEUE_SETTINGS, BENCH_HOLD_TTL_SECONDS: the queue's line settings (VAR=VALUE words) and
#     the hold time, instead of the defaults below that let load through (tests/load/onsale.sh)
#   BENCH_QUEUE_ASKS_CONCERT (0): 1 gives the queue CONCERT_URL, so it learns of a sell-out
#   BENCH_QUEUE_REPLICAS (1): 2 starts a second queue replica (queue2, QUEUE2_PORT) on the same
#     database, and the gateway shares the queue's routes between the two (render.sh's list);
#     the payment service asks the first one
bench_stack_start() {
  local root=$1
  local access_log=${BENCH_ACCESS_LOG:-0}
  local super="host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT user=postgres dbname=tickets"
  local common=(ACCESS_LOG="$access_log" LOG_LEVEL="${LOG_LEVEL:-info}" DATABASE_ADMIN_URL="$super")
  local v
  for v in DB_POOL_SIZE HTTP_IO_THREADS HTTP_WORKER_THREADS; do
    [ -z "${!v:-}" ] || common+=("$v=${!v}")
  done
  ADMIN_KEY="bench-$(bench_rand_hex 16)"
  # The key the gateway and the services share, like the rest of a run's secrets made for it.
  INTERNAL_KEY="bench-$(bench_rand_hex 16)"
  common+=(INTERNAL_API_KEY="$INTERNAL_KEY")
  # Each service's role gets a password of this run; DATABASE_ADMIN_URL makes the service create
  # its role and schema and apply its migrations at start.
  db_url() { echo "host=$BENCH_PG_SOCKET port=$BENCH_PG_PORT dbname=tickets user=$1 password=$(bench_rand_hex 12)"; }

  # Settings that let load through: every token ACTIVE at issue and valid all run (capacity is
  # the largest the queue takes), no hold lapses, nothing dropped for not polling, no rate limit.
  local queue_settings hold_ttl=${BENCH_HOLD_TTL_SECONDS:-86400}
  read -r -a queue_settings <<<"${BENCH_QUEUE_SETTINGS:-QUEUE_CAPACITY=1000000 QUEUE_TOKEN_TTL_SECONDS=86400 QUEUE_ABANDON_SECONDS=86400}"
  # The concert service first: the queue may be told where it is.
  bench_service_start_free concert "$CONCERT_BIN" CONCERT_PORT "$BENCH_WORKDIR/concert.log" "${common[@]}" \
    DATABASE_URL="$(db_url concert_svc)" ADMIN_API_KEY="$ADMIN_KEY" SEED_DEMO=0 \
    HOLD_TTL_SECONDS="$hold_ttl"
  [ "${BENCH_QUEUE_ASKS_CONCERT:-0}" != 1 ] || queue_settings+=(CONCERT_URL="http://127.0.0.1:$CONCERT_PORT")
  local replicas=${BENCH_QUEUE_REPLICAS:-1}
  [[ $replicas =~ ^[12]$ ]] || bench_die "BENCH_QUEUE_REPLICAS is 1 or 2, got '$replicas'"
  # One URL for both replicas: each start sets the role's password to the one it was given.
  local queue_db
  queue_db=$(db_url queue_svc)
  bench_service_start_free queue "$QUEUE_BIN" QUEUE_PORT "$BENCH_WORKDIR/queue.log" "${common[@]}" \
    DATABASE_URL="$queue_db" ADMIN_API_KEY="$ADMIN_KEY" "${queue_settings[@]}"
  local queue_upstream="127.0.0.1:$QUEUE_PORT"
  if [ "$replicas" = 2 ]; then
    bench_service_start_free queue2 "$QUEUE_BIN" QUEUE2_PORT "$BENCH_WORKDIR/queue2.log" "${common[@]}" \
      DATABASE_URL="$queue_db" ADMIN_API_KEY="$ADMIN_KEY" "${queue_settings[@]}"
    queue_upstream+=",127.0.0.1:$QUEUE2_PORT"
  fi
  bench_service_start_free payment "$PAYMENT_BIN" PAYMENT_PORT "$BENCH_WORKDIR/payment.log" "${common[@]}" \
    DATABASE_URL="$(db_url payment_svc)" \
    QUEUE_URL="http://127.0.0.1:$QUEUE_PORT" CONCERT_URL="http://127.0.0.1:$CONCERT_PORT"

  local try rc
  for try in 1 2 3 4 5; do
    GATEWAY_PORT=$(bench_free_port)
    GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
    bench_gateway_conf "$root" "$BENCH_WORKDIR/gateway" "$GATEWAY_PORT" "$queue_upstream" \
      "$CONCERT_PORT" "$PAYMENT_PORT" "$access_log"
    rc=0
    bench_nginx_start gateway "$BENCH_WORKDIR/gateway" "$GATEWAY/healthz" || rc=$?
    [ "$rc" = 75 ] || break
    bench_log "gateway: port $GATEWAY_PORT was taken meanwhile, trying another ($try)"
  done
  [ "$rc" = 0 ] || bench_die "the gateway did not start"
  STACK_SETTINGS="ACCESS_LOG=$access_log (services and gateway); queue ($replicas replica(s)) ${queue_settings[*]%%=http*}; concert HOLD_TTL_SECONDS=$hold_ttl MAX_SEATS_PER_USER=4 (default); gateway ISSUE_RATE_LIMIT_PER_IP=0; DB_POOL_SIZE=${DB_POOL_SIZE:-default} HTTP_IO_THREADS=${HTTP_IO_THREADS:-default} HTTP_WORKER_THREADS=${HTTP_WORKER_THREADS:-default}"
}

# bench_stack_stop: the gateway first (requests in flight finish), then the services.
bench_stack_stop() {
  bench_nginx_stop gateway
  bench_service_stop payment
  bench_service_stop concert
  bench_service_stop queue2
  bench_service_stop queue
}

# bench_http METHOD URL [BODY] [CURL ARGS...]: one request with curl; prints the status, leaves
# the answer in $BENCH_WORKDIR/answer.json. For set-up and smoke tests, never for load.
bench_http() {
  local method=$1 url=$2 body=${3:-}; shift 2; [ $# -gt 0 ] && shift
  local args=(-sS --max-time 60 -o "$BENCH_WORKDIR/answer.json" -w '%{http_code}' -X "$method" "$@")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  curl "${args[@]}" "$url" || echo 000
}

# bench_expect STATUS METHOD URL [BODY] [CURL ARGS...]: bench_http, stopping the run unless the
# answer has STATUS.
bench_expect() {
  local want=$1; shift
  local got
  got=$(bench_http "$@")
  [ "$got" = "$want" ] || bench_die "$1 $2 answered $got, expected $want: $(head -c 400 "$BENCH_WORKDIR/answer.json" 2>/dev/null)"
}
