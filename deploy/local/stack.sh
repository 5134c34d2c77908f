# Shared by up.sh and down.sh (sourced, not run): where the local stack lives and how its
# processes are started and stopped.

LOCAL_DIR="$root/.local"
LOCAL_PG_PORT=${LOCAL_PG_PORT:-54320}
PID_DIR="$LOCAL_DIR/run"

# Development passwords of the services' own database roles; override them in the environment.
QUEUE_DB_PASSWORD=${QUEUE_DB_PASSWORD:-queue-local-password}
CONCERT_DB_PASSWORD=${CONCERT_DB_PASSWORD:-concert-local-password}
PAYMENT_DB_PASSWORD=${PAYMENT_DB_PASSWORD:-payment-local-password}
# The key the gateway and the services share (deploy/README.md, "The trust boundary"): the
# environment's INTERNAL_API_KEY, else one made at random for this stack's .local/ and kept there
# (readable by its owner only) so that every restart uses the same one.
INTERNAL_KEY_FILE="$LOCAL_DIR/internal-api-key"
use_internal_key() {
  INTERNAL_KEY_ORIGIN="INTERNAL_API_KEY of the environment"
  if [ -z "${INTERNAL_API_KEY:-}" ]; then
    if [ ! -s "$INTERNAL_KEY_FILE" ]; then
      mkdir -p "$LOCAL_DIR"
      (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$INTERNAL_KEY_FILE")
    fi
    INTERNAL_API_KEY=$(cat "$INTERNAL_KEY_FILE")
    INTERNAL_KEY_ORIGIN=$INTERNAL_KEY_FILE
  fi
  export INTERNAL_API_KEY
}
# Where the payment service finds the others, and where the queue asks every admission pass
# whether seats are left to sell (product-spec.md, "Sale day": sold out).
export QUEUE_URL=${QUEUE_URL:-http://127.0.0.1:8081}
export CONCERT_URL=${CONCERT_URL:-http://127.0.0.1:8082}
# The gateway's public port (the only one the spec calls public; the services keep theirs locally).
GATEWAY_PORT=${GATEWAY_PORT:-8080}
GATEWAY_DIR="$LOCAL_DIR/gateway"
# The built pages the gateway serves at / and /admin/ (WEB_ROOT= turns them off).
export WEB_ROOT=${WEB_ROOT-$root/services/web/dist}
# The local stack seeds a demo concert unless told not to (SEED_DEMO=0).
export SEED_DEMO=${SEED_DEMO:-1}

stack_running() {
  local pid_file
  for pid_file in "$PID_DIR"/*.pid; do
    [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null && return 0
  done
  return 1
}

# start_service NAME PORT BINARY: starts it with its database role, on the loopback interface
# only (the gateway is the way in), and waits for /healthz.
start_service() {
  local name=$1 port=$2 binary=$3
  local password_var="${name^^}_DB_PASSWORD"
  local socket="$LOCAL_DIR/pg/socket"
  LISTEN_ADDRESS=127.0.0.1 PORT=$port \
  DATABASE_URL="host=$socket port=$LOCAL_PG_PORT dbname=tickets user=${name}_svc password=${!password_var}" \
  DATABASE_ADMIN_URL="host=$socket port=$LOCAL_PG_PORT dbname=tickets user=postgres" \
    "$binary" >>"$LOCAL_DIR/logs/$name.log" 2>&1 &
  echo $! >"$PID_DIR/$name.pid"
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$PID_DIR/$name.pid")" 2>/dev/null; then
      echo "$name failed to start:" >&2
      tail -20 "$LOCAL_DIR/logs/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$name did not become healthy on port $port" >&2
  return 1
}

# start_gateway: renders the nginx config for this stack into .local/gateway/ and runs nginx in
# the foreground of a background job owned by the stack (pid in run/gateway.pid); waits for
# /healthz on GATEWAY_PORT. Logs: .local/gateway/access.log (JSON lines) and error.log.
start_gateway() {
  local nginx_bin=${NGINX:-/usr/sbin/nginx}
  mkdir -p "$GATEWAY_DIR/tmp"
  GATEWAY_PORT=$GATEWAY_PORT "$root/deploy/gateway/render.sh" "$GATEWAY_DIR" >"$GATEWAY_DIR/nginx.conf.new"
  mv "$GATEWAY_DIR/nginx.conf.new" "$GATEWAY_DIR/nginx.conf"
  if ! "$nginx_bin" -t -q -e "$GATEWAY_DIR/error.log" -p "$GATEWAY_DIR/" -c "$GATEWAY_DIR/nginx.conf"; then
    echo "the gateway configuration ($GATEWAY_DIR/nginx.conf) is invalid" >&2
    return 1
  fi
  "$nginx_bin" -e "$GATEWAY_DIR/error.log" -p "$GATEWAY_DIR/" -c "$GATEWAY_DIR/nginx.conf" \
    >>"$LOCAL_DIR/logs/gateway.log" 2>&1 &
  echo $! >"$PID_DIR/gateway.pid"
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$PID_DIR/gateway.pid")" 2>/dev/null; then
      echo "the gateway (nginx) failed to start:" >&2
      tail -20 "$GATEWAY_DIR/error.log" "$LOCAL_DIR/logs/gateway.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.1
  done
  echo "the gateway did not become healthy on port $GATEWAY_PORT" >&2
  return 1
}

wait_for_any_service_exit() {
  local pids=()
  local pid_file
  for pid_file in "$PID_DIR"/*.pid; do pids+=("$(cat "$pid_file")"); done
  wait -n "${pids[@]}" 2>/dev/null || true
}

stop_services() {
  local pid_file pid
  # The gateway first (SIGQUIT: nginx finishes the requests in flight), then the services.
  if [ -f "$PID_DIR/gateway.pid" ]; then
    pid=$(cat "$PID_DIR/gateway.pid")
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_DIR/gateway.pid"
  fi
  for pid_file in "$PID_DIR"/*.pid; do
    [ -f "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  done
}
