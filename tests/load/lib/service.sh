# shellcheck shell=bash
# Starting and stopping a service binary under test, by process id only.

# bench_service_start NAME BINARY PORT LOGFILE [VAR=VALUE...]: runs BINARY with the extra
# environment, output to LOGFILE, and waits up to 60 s for GET /healthz on 127.0.0.1:PORT.
# Records the pid in BENCH_PID_<NAME> and registers its stop on exit. Returns 75 when the port
# was taken (see bench_service_start_free); any other failure stops the run.
bench_service_start() {
  local name=$1 binary=$2 port=$3 logfile=$4; shift 4
  [ -x "$binary" ] || bench_die "$binary is not built"
  env "$@" PORT="$port" "$binary" >"$logfile" 2>&1 &
  local pid=$!
  printf -v "BENCH_PID_$name" '%s' "$pid"
  bench_on_exit "bench_service_stop $name"
  local deadline=$(( SECONDS + 60 ))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      printf -v "BENCH_PID_$name" '%s' ""
      # Someone took the port since bench_free_port looked: the caller may pick another.
      grep -q "Address already in use" "$logfile" && return 75
      tail -20 "$logfile" >&2
      bench_die "$name exited during start"
    fi
    [ $SECONDS -lt $deadline ] || { tail -20 "$logfile" >&2; bench_die "$name not healthy in 60 s"; }
    sleep 0.2
  done
  bench_log "$name up on port $port (pid $pid)"
}

# bench_service_stop NAME: SIGTERM (graceful), then SIGKILL after 15 s; a no-op if not running.
bench_service_stop() {
  local var="BENCH_PID_$1" pid
  pid=${!var:-}
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$(( SECONDS + 15 ))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      bench_log "$1 ignored SIGTERM, killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  printf -v "$var" '%s' ""
  bench_log "$1 stopped"
}

# bench_service_start_free NAME BINARY PORT_VAR LOGFILE [VAR=VALUE...]: bench_service_start on a
# free port, another one when the first was taken meanwhile (up to 5 tries); the port it got is
# left in the variable named PORT_VAR.
bench_service_start_free() {
  local name=$1 binary=$2 port_var=$3 logfile=$4 try rc; shift 4
  for try in 1 2 3 4 5; do
    printf -v "$port_var" '%s' "$(bench_free_port)"
    rc=0
    bench_service_start "$name" "$binary" "${!port_var}" "$logfile" "$@" || rc=$?
    [ "$rc" = 75 ] || return "$rc"
    bench_log "$name: port ${!port_var} was taken meanwhile, trying another ($try)"
  done
  bench_die "$name: no free port after 5 tries"
}
