# shellcheck shell=bash
# Memory of the run's processes under load: VmRSS (resident now) and VmHWM (peak resident since
# start) from /proc/<pid>/status, sampled in the background during each measured run.

BENCH_RSS_INTERVAL=${BENCH_RSS_INTERVAL:-0.25}
BENCH_RSS_PID=""

# bench_proc_mem_kb PID...: "rss_kb hwm_kb" summed over the processes (0 0 when all are gone).
bench_proc_mem_kb() {
  local pid rss=0 hwm=0 r h
  for pid in "$@"; do
    read -r r h < <(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r + 0, h + 0 }' \
      "/proc/$pid/status" 2>/dev/null || echo "0 0")
    rss=$(( rss + r )); hwm=$(( hwm + h ))
  done
  echo "$rss $hwm"
}

# bench_rss_pids NAME: the pids that make up a process of the run: the service's own, or for
# nginx (NAME gateway) the master and its worker processes.
bench_rss_pids() {
  local var="BENCH_PID_$1" pid
  pid=${!var:-}
  [ -n "$pid" ] || return 0
  echo "$pid"
  [ "$1" != gateway ] || pgrep -P "$pid" 2>/dev/null || true
}

# bench_rss_start FILE NAME...: samples the named processes (queue, concert, payment, gateway)
# every BENCH_RSS_INTERVAL seconds into FILE as "name rss_kb hwm_kb" lines until bench_rss_stop.
bench_rss_start() {
  local file=$1; shift
  [ -z "$BENCH_RSS_PID" ] || bench_rss_stop
  local names=("$@")
  (
    while :; do
      for name in "${names[@]}"; do
        # shellcheck disable=SC2046  # one pid per word
        echo "$name $(bench_proc_mem_kb $(bench_rss_pids "$name"))"
      done
      sleep "$BENCH_RSS_INTERVAL"
    done
  ) >"$file" 2>/dev/null &
  BENCH_RSS_PID=$!
  BENCH_RSS_FILE=$file
}

# bench_rss_stop: stops the sampler and sets RSS_JSON to
# {"<name>": {"rss_mb": max VmRSS, "hwm_mb": max VmHWM}, ...} over the samples taken.
bench_rss_stop() {
  [ -n "$BENCH_RSS_PID" ] || return 0
  kill "$BENCH_RSS_PID" 2>/dev/null || true
  wait "$BENCH_RSS_PID" 2>/dev/null || true
  BENCH_RSS_PID=""
  RSS_JSON=$(awk '{ if ($2 > r[$1]) r[$1] = $2; if ($3 > h[$1]) h[$1] = $3 }
    END { printf "{"; n = 0
          for (k in r) printf "%s\"%s\":{\"rss_mb\":%.1f,\"hwm_mb\":%.1f}", (n++ ? "," : ""), k, r[k] / 1024, h[k] / 1024
          print "}" }' "$BENCH_RSS_FILE")
}
