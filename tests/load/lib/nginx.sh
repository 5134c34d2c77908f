# shellcheck shell=bash
# nginx processes of a run: the gateway (deploy/gateway/render.sh's configuration) and the
# limit server (a constant answer, and a proxy in front of it). Started and stopped by pid only.

NGINX="${NGINX:-/usr/sbin/nginx}"

# bench_nginx_start NAME DIR HEALTH_URL: checks and runs DIR/nginx.conf in the foreground of a
# background job (the configuration says `daemon off`), records the master's pid in
# BENCH_PID_<NAME>, registers its stop on exit and waits up to 20 s for HEALTH_URL to answer 200.
# Returns 75 when a port was taken meanwhile; any other failure stops the run.
bench_nginx_start() {
  local name=$1 dir=$2 health=$3
  mkdir -p "$dir/tmp"
  rm -f "$dir/error.log"
  "$NGINX" -t -q -e "$dir/error.log" -p "$dir/" -c "$dir/nginx.conf" 2>"$dir/check.log" ||
    { cat "$dir/check.log" >&2; bench_die "$name: invalid nginx configuration $dir/nginx.conf"; }
  "$NGINX" -e "$dir/error.log" -p "$dir/" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  local pid=$!
  printf -v "BENCH_PID_$name" '%s' "$pid"
  bench_on_exit "bench_nginx_stop $name"
  local deadline=$(( SECONDS + 20 ))
  until curl -fsS -o /dev/null --max-time 2 "$health" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      printf -v "BENCH_PID_$name" '%s' ""
      # Someone took a port since bench_free_port looked: the caller may pick others.
      grep -qs "Address already in use" "$dir/error.log" "$dir/stdout.log" && return 75
      tail -20 "$dir/error.log" "$dir/stdout.log" >&2
      bench_die "$name (nginx) exited during start"
    fi
    [ $SECONDS -lt $deadline ] || bench_die "$name (nginx) not answering $health in 20 s"
    sleep 0.2
  done
  bench_log "$name (nginx) up: $health (pid $pid)"
}

# bench_nginx_stop NAME: SIGQUIT (graceful: requests in flight finish), SIGKILL after 10 s.
bench_nginx_stop() {
  local var="BENCH_PID_$1" pid
  pid=${!var:-}
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -QUIT "$pid" 2>/dev/null || true
    local deadline=$(( SECONDS + 10 ))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  printf -v "$var" '%s' ""
  bench_log "$1 (nginx) stopped"
}

# bench_limit_nginx_conf DIR CONSTANT_PORT PROXY_PORT: writes DIR/nginx.conf for the limits:
# one server answering a constant JSON body on every path, and one proxying every request to it
# over upstream keep-alive, the way the gateway proxies to a service (HTTP/1.1, keepalive 64).
# Workers, connections and keep-alive limits are the gateway's, and no access log, so the
# figures are what nginx itself costs on this machine.
bench_limit_nginx_conf() {
  local dir=$1 constant=$2 proxy=$3
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65s;
  keepalive_requests 10000;
  client_body_temp_path $dir/tmp/client_body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream constant {
    server 127.0.0.1:$constant;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$constant reuseport backlog=4096;
    location / {
      default_type application/json;
      return 200 '{"status":"ok"}';
    }
  }
  server {
    listen 127.0.0.1:$proxy reuseport backlog=4096;
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://constant;
    }
  }
}
CONF
}

# bench_gateway_conf ROOT DIR PORT QUEUE_UPSTREAM CONCERT_PORT PAYMENT_PORT ACCESS_LOG: the
# gateway's own configuration (QUEUE_UPSTREAM: host:port of each queue replica, comma-separated),
# rendered by deploy/gateway/render.sh for these ports and the run's
# INTERNAL_KEY (see bench_stack_start) with the token-issue brake off
# (ISSUE_RATE_LIMIT_PER_IP=0, one client address sends everything). With ACCESS_LOG=0
# its access log line becomes `access_log off;`, like ACCESS_LOG=0 of the services (render.sh
# has no switch for it); everything else is the deployed configuration.
bench_gateway_conf() {
  local root=$1 dir=$2 port=$3 queue=$4 concert=$5 payment=$6 access_log=$7
  mkdir -p "$dir/tmp"
  GATEWAY_PORT=$port GATEWAY_LISTEN=127.0.0.1 ISSUE_RATE_LIMIT_PER_IP=0 INTERNAL_API_KEY=$INTERNAL_KEY \
    QUEUE_UPSTREAM=$queue CONCERT_UPSTREAM=127.0.0.1:$concert \
    PAYMENT_UPSTREAM=127.0.0.1:$payment \
    "$root/deploy/gateway/render.sh" "$dir" >"$dir/nginx.conf" || bench_die "deploy/gateway/render.sh failed"
  if [ "$access_log" = 0 ]; then
    grep -q "^ *access_log $dir/access.log gateway_json;" "$dir/nginx.conf" ||
      bench_die "no access_log line to turn off in the rendered gateway configuration"
    sed -i "s|^\( *\)access_log $dir/access.log gateway_json;|\1access_log off;  # benchmark: ACCESS_LOG=0|" "$dir/nginx.conf"
  fi
}
