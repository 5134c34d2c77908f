# shellcheck shell=bash
# Memory of the run's processes under load: VmRSS (resident now) and VmHWM (peak resident since
# start) from /proc/<pid>/status, sampled in the background during each measured run.

BENCH_RSS_INTERVAL=${BENCH_RSS_INTERVAL:-0.25}
BENCH_RSS_PID=""

# The sampler runs during the measured runs, so it reads /proc with bash builtins only: a fork
# and exec of awk or pgrep per process per sample cost some 4 % of the machine.

# bench_proc_mem_kb PID...: sets MEM_RSS_KB and MEM_HWM_KB to VmRSS and VmHWM summed over the
# processes (0 for those gone).
bench_proc_mem_kb() {
  local pid key value _unit
  MEM_RSS_KB=0 MEM_HWM_KB=0
  for pid in "$@"; do
    [ -r "/proc/$pid/status" ] || continue
    while read -r key value _unit; do
      case $key in
        VmRSS:) MEM_RSS_KB=$(( MEM_RSS_KB + value )) ;;
        VmHWM:) MEM_HWM_KB=$(( MEM_HWM_KB + value )) ;;
      esac
    done <"/proc/$pid/status" 2>/dev/null || true
  done
}

# bench_rss_pids NAME: sets RSS_PIDS to the pids that make up a process of the run: the
# service's own, or for nginx (NAME gateway) the master and its worker processes.
bench_rss_pids() {
  local var="BENCH_PID_$1" pid children=()
  pid=${!var:-}
  RSS_PIDS=()
  [ -n "$pid" ] || return 0
  RSS_PIDS=("$pid")
  [ "$1" = gateway ] || return 0
  if [ -r "/proc/$pid/task/$pid/children" ]; then
    read -r -a children <"/proc/$pid/task/$pid/children" 2>/dev/null || true
  else
    mapfile -t children < <(pgrep -P "$pid" 2>/dev/null || true)
  fi
  RSS_PIDS+=("${children[@]}")
}

# bench_rss_start FILE NAME...: samples the named processes (queue, concert, payment, gateway)
# every BENCH_RSS_INTERVAL seconds into FILE as "name rss_kb hwm_kb" lines until bench_rss_stop.
bench_rss_start() {
  local file=$1; shift
  [ -z "$BENCH_RSS_PID" ] || bench_rss_stop
  local names=("$@")
  (
    # Waits on a pipe nobody writes to instead of running sleep: no fork per sample.
    local pause
    exec {pause}<> <(:)
    while :; do
      for name in "${names[@]}"; do
        bench_rss_pids "$name"
        bench_proc_mem_kb "${RSS_PIDS[@]}"
        echo "$name $MEM_RSS_KB $MEM_HWM_KB"
      done
      read -r -t "$BENCH_RSS_INTERVAL" -u "$pause" _ || true
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
