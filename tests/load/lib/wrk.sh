# shellcheck shell=bash
# Running wrk and reading its results.

# bench_wrk OUT_PREFIX THREADS CONNECTIONS SECONDS URL SCRIPT [SCRIPT ARGS...]: runs wrk with
# --latency, bounded by `timeout`, with SCRIPT behind wrk/lib/prelude.lua (whose done() prints
# the results as JSON). Keeps wrk's report in OUT_PREFIX.txt and the JSON in OUT_PREFIX.json, and
# sets:
#   WRK_JSON      the JSON file (counts, maxima and sample percentiles of the scenario too)
#   WRK_RPS       requests/s
#   WRK_P50_MS, WRK_P99_MS   wrk's latency percentiles of single requests, in ms
#   WRK_REQUESTS  requests completed
#   WRK_NON2XX    answers with a status above 399
#   WRK_SOCKERR   socket errors: connect + read + write + timeout
bench_wrk() {
  local prefix=$1 threads=$2 conns=$3 secs=$4 url=$5 script=$6; shift 6
  case "$url" in
    http://127.0.0.1:*) ;;
    *) bench_die "refusing to load $url: only http://127.0.0.1 targets" ;;
  esac
  local combined="$prefix.lua"
  cat "$BENCH_HERE/wrk/lib/prelude.lua" "$script" >"$combined"
  local args=(-t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 5s -s "$combined" "$url")
  [ $# -gt 0 ] && args+=(-- "$@")
  timeout --kill-after=5 $(( secs + 30 )) wrk "${args[@]}" >"$prefix.txt" 2>&1 || {
    cat "$prefix.txt" >&2
    bench_die "wrk failed or overran ($(basename "$script"))"
  }
  WRK_JSON="$prefix.json"
  sed -n 's/^BENCH_JSON //p' "$prefix.txt" >"$WRK_JSON"
  jq -e .requests "$WRK_JSON" >/dev/null 2>&1 || { cat "$prefix.txt" >&2; bench_die "no results from wrk ($(basename "$script"))"; }
  read -r WRK_RPS WRK_P50_MS WRK_P99_MS WRK_REQUESTS WRK_NON2XX WRK_SOCKERR < <(
    jq -r '[.rps, .p50_ms, .p99_ms, .requests, .non2xx, .socket_errors] | @tsv' "$WRK_JSON")
}

# bench_wrk_get [JQ OPTIONS] JQ_FILTER: a value from the last run's JSON (e.g. .counts.paid // 0).
bench_wrk_get() { jq -r "$@" "$WRK_JSON"; }

# bench_warmup LABEL URL SCRIPT [SCRIPT ARGS...]: a run of WARMUP seconds that is not reported
# (connections, caches, the services' pools warm up). Sets WARM_JSON ("" when WARMUP is 0).
bench_warmup() {
  local label=$1 url=$2 script=$3; shift 3
  WARM_JSON=""
  [ "$WARMUP" -gt 0 ] || return 0
  bench_log "$label: warm-up ${WARMUP}s"
  bench_wrk "$BENCH_WORKDIR/wrk-$label-warmup" "$THREADS" "$CONNS" "$WARMUP" "$url" "$script" "$@"
  WARM_JSON=$WRK_JSON
}

# bench_measure LABEL URL SCRIPT [SCRIPT ARGS...]: the measured run, after a checkpoint, with the
# memory of the processes in BENCH_RSS_NAMES sampled throughout (RSS_JSON) and how busy the CPUs
# were meanwhile (CPU_BUSY_PCT: near 100 means the run was bound by the CPU).
bench_measure() {
  local label=$1 url=$2 script=$3; shift 3
  bench_checkpoint
  # shellcheck disable=SC2086  # a list of names
  bench_rss_start "$BENCH_WORKDIR/rss-$label.txt" ${BENCH_RSS_NAMES:-}
  bench_log "$label: measuring ${DURATION}s, -t$THREADS -c$CONNS"
  bench_cpu_busy_during \
    bench_wrk "$BENCH_WORKDIR/wrk-$label" "$THREADS" "$CONNS" "$DURATION" "$url" "$script" "$@"
  bench_rss_stop
  bench_log "$label: $(printf '%.0f' "$WRK_RPS") req/s, p50 $WRK_P50_MS ms, p99 $WRK_P99_MS ms, non-2xx $WRK_NON2XX, socket errors $WRK_SOCKERR, CPU busy $CPU_BUSY_PCT %"
}
