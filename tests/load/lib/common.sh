# shellcheck shell=bash
# Shared helpers for the load benchmarks: logging, free ports, cleanup hooks, timing.
# Source it; it defines functions and nothing runs.

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

# bench_free_port: prints a TCP port that nothing listens on, picked at random from 61000-65499:
# private ports above Linux's ephemeral range (32768-60999), so neither the outgoing connections
# of the load nor servers that other work on the machine binds to port 0 can take it between
# this check and our bind. (A parallel benchmark still can: the starters retry on a clash.)
bench_free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$(( 61000 + RANDOM % 4500 ))
    if ! ss -Htan "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  bench_die "no free port found"
}

# Cleanup hooks run in reverse order of registration on exit, interrupt or termination.
BENCH_CLEANUPS=()
bench_on_exit() { BENCH_CLEANUPS+=("$*"); }
bench_run_cleanups() {
  local i
  for (( i=${#BENCH_CLEANUPS[@]}-1; i>=0; i-- )); do
    eval "${BENCH_CLEANUPS[$i]}" || true
  done
  BENCH_CLEANUPS=()
}
bench_install_traps() {
  trap 'bench_run_cleanups' EXIT
  trap 'bench_log "interrupted"; exit 130' INT
  trap 'bench_log "terminated"; exit 143' TERM
}

# bench_make_workdir: a temporary directory readable by the postgres user (the cluster runs
# as postgres when we are root, and its data directory lives inside).
bench_make_workdir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ticketing-bench.XXXXXX")
  chmod 755 "$dir"
  echo "$dir"
}

# bench_int NAME DEFAULT [MIN]: the environment variable NAME as a whole number >= MIN (default
# 1), else DEFAULT when unset; stops the run on anything else, so a typo cannot go unnoticed.
bench_int() {
  local name=$1 default=$2 min=${3:-1} value
  value=${!name:-$default}
  [[ $value =~ ^[0-9]+$ ]] && [ "$value" -ge "$min" ] || bench_die "$name must be a whole number >= $min, got '$value'"
  echo "$value"
}

# bench_need TOOL...: stops the run unless every tool is on PATH (or an executable path).
bench_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || bench_die "$tool is not installed"
  done
}

# bench_part NAME: true when BENCH_ONLY is unset or lists NAME (comma-separated), so a part
# of the run can be repeated alone while working on it.
bench_part() {
  [ -z "${BENCH_ONLY:-}" ] && return 0
  [[ ",$BENCH_ONLY," == *",$1,"* ]]
}

# bench_commas N: N with thousands separators (1000000 -> 1,000,000), whatever the locale.
bench_commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# bench_rand_hex BYTES: random lowercase hex (admin keys, passwords of the run's roles).
bench_rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# bench_cpu_ticks: sets CPU_TICKS_TOTAL and CPU_TICKS_IDLE, all cores' time since boot and the
# idle part of it (idle + iowait), in clock ticks from /proc/stat. Builtins only: cheap enough to
# take around a measured run.
bench_cpu_ticks() {
  local _cpu user nice system idle iowait irq softirq steal _rest
  read -r _cpu user nice system idle iowait irq softirq steal _rest </proc/stat
  CPU_TICKS_TOTAL=$(( user + nice + system + idle + iowait + irq + softirq + steal ))
  CPU_TICKS_IDLE=$(( idle + iowait ))
}

# bench_cpu_busy_during COMMAND [ARGS...]: runs COMMAND in this shell and sets CPU_BUSY_PCT to
# the percentage of CPU time (all cores) spent not idle meanwhile, rounded.
bench_cpu_busy_during() {
  local total0 idle0 t i
  bench_cpu_ticks
  total0=$CPU_TICKS_TOTAL idle0=$CPU_TICKS_IDLE
  "$@"
  bench_cpu_ticks
  t=$(( CPU_TICKS_TOTAL - total0 )) i=$(( CPU_TICKS_IDLE - idle0 ))
  CPU_BUSY_PCT=$(( t > 0 ? (200 * (t - i) + t) / (2 * t) : 0 ))
}

# bench_cpu_busy_pct: the percentage of CPU time spent not idle over the next second. Taken
# before a run, it shows whether other work shares the machine.
bench_cpu_busy_pct() {
  bench_cpu_busy_during sleep 1
  echo "$CPU_BUSY_PCT"
}

# bench_begin: traps, the work directory (kept with BENCH_KEEP=1, else removed on exit) and a
# note of how busy the machine was before the run. Sets BENCH_WORKDIR, LOAD_AT_START and
# CPU_BUSY_AT_START.
bench_begin() {
  bench_install_traps
  BENCH_WORKDIR=$(bench_make_workdir)
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    bench_on_exit "bench_log 'kept $BENCH_WORKDIR'"
  else
    bench_on_exit "rm -rf '$BENCH_WORKDIR'"
  fi
  bench_log "work directory $BENCH_WORKDIR"
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  CPU_BUSY_AT_START=$(bench_cpu_busy_pct)
  if [ "$CPU_BUSY_AT_START" -gt 10 ]; then
    bench_log "warning: CPUs ${CPU_BUSY_AT_START}% busy before the run: other work shares the machine, figures will be noisy"
  fi
}
