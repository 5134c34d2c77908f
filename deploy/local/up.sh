#!/usr/bin/env bash
# Runs the whole system on this machine: a PostgreSQL cluster (data under .local/), then the
# services (queue, concert, payment; a demo concert is seeded unless SEED_DEMO=0), then the nginx
# gateway on GATEWAY_PORT (default 8080). Installs missing Debian packages and builds (release) first.
#   deploy/local/up.sh            foreground; Ctrl-C stops everything
#   deploy/local/up.sh --detach   returns once the gateway is healthy; stop with down.sh
# Configuration comes from the environment (see deploy/README.md, "Configuration"), e.g.
#   QUEUE_CAPACITY=2 ADMIN_API_KEY=secret deploy/local/up.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/deploy/local/stack.sh"

detach=false
case "${1:-}" in
  --detach) detach=true ;;
  "") ;;
  *) echo "usage: deploy/local/up.sh [--detach]" >&2; exit 2 ;;
esac

if stack_running; then
  echo "the local stack is already running (deploy/local/down.sh stops it)" >&2
  exit 1
fi

"$root/deploy/lib/install-deps.sh"
echo "== build (release)"
(cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release)
# The booking page and the console (services/web/dist), rebuilt only when their sources changed.
[ -z "$WEB_ROOT" ] || "$root/services/web/build.sh"

mkdir -p "$LOCAL_DIR/logs" "$LOCAL_DIR/run"
chmod 755 "$LOCAL_DIR"
use_internal_key
echo "== PostgreSQL on port $LOCAL_PG_PORT (data in $LOCAL_DIR/pg)"
admin_base=$("$root/deploy/lib/pg-cluster.sh" start "$LOCAL_DIR/pg" "$LOCAL_PG_PORT")
psql "$admin_base" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'tickets'" | grep -q 1 ||
  psql "$admin_base" -qc "CREATE DATABASE tickets" >/dev/null

log_follower=""
if ! $detach; then
  trap 'echo; echo "== stopping"; [ -n "$log_follower" ] && kill "$log_follower" 2>/dev/null;
        "$root/deploy/local/down.sh"' EXIT
  trap 'exit 0' INT TERM
fi

start_service queue 8081 "$root/build/release/services/queue/queue-service"
start_service concert 8082 "$root/build/release/services/concert/concert-service"
start_service payment 8083 "$root/build/release/services/payment/payment-service"
start_gateway

echo
echo "The ticketing system is running:"
echo "  gateway          http://127.0.0.1:$GATEWAY_PORT   (logs: $GATEWAY_DIR/access.log, error.log)"
[ -n "$WEB_ROOT" ] && echo "  web pages        http://127.0.0.1:$GATEWAY_PORT/ (booking) and /admin/ (console)"
echo "  queue service    http://127.0.0.1:8081   (logs: $LOCAL_DIR/logs/queue.log)"
echo "  concert service  http://127.0.0.1:8082   (logs: $LOCAL_DIR/logs/concert.log)"
echo "  payment service  http://127.0.0.1:8083   (logs: $LOCAL_DIR/logs/payment.log)"
echo "  PostgreSQL       psql \"host=$LOCAL_DIR/pg/socket port=$LOCAL_PG_PORT user=postgres dbname=tickets\""
[ -z "${ADMIN_API_KEY:-}" ] && echo "  admin API        disabled (set ADMIN_API_KEY to enable it)"
echo "  internal key     $INTERNAL_KEY_ORIGIN (the services answer only calls that send it"
echo "                   as X-Internal-Key; the gateway does)"
echo "Try: curl -s -X POST http://127.0.0.1:$GATEWAY_PORT/api/v1/queue/tokens -d '{}'"

if $detach; then
  echo "Stop it with deploy/local/down.sh"
  exit 0
fi
echo "Ctrl-C stops everything."
tail -n 0 -F "$LOCAL_DIR"/logs/*.log &
log_follower=$!
wait_for_any_service_exit
echo "a service exited; see $LOCAL_DIR/logs" >&2
exit 1
