# Running wrk and reading its report.

# bench_wrk OUTFILE THREADS CONNECTIONS SECONDS URL SCRIPT [SCRIPT ARGS...]: runs wrk with
# --latency, bounded by `timeout`, keeps its full output in OUTFILE and sets:
#   WRK_RPS       Requests/sec
#   WRK_P99_MS    99th percentile latency in milliseconds
#   WRK_REQUESTS  requests completed
#   WRK_NON2XX    "Non-2xx or 3xx responses" (0 when wrk printed no such line)
#   WRK_SOCKERR   socket errors: connect + read + write + timeout (0 when none printed)
bench_wrk() {
  local out=$1 threads=$2 conns=$3 secs=$4 url=$5 script=$6; shift 6
  case "$url" in
    http://127.0.0.1:*) ;;
    *) bench_die "refusing to load $url: only http://127.0.0.1 targets" ;;
  esac
  local args=(-t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 5s -s "$script" "$url")
  [ $# -gt 0 ] && args+=(-- "$@")
  timeout --kill-after=5 $(( secs + 30 )) wrk "${args[@]}" >"$out" 2>&1 || {
    cat "$out" >&2
    bench_die "wrk failed or overran ($script)"
  }
  bench_wrk_parse "$out"
}

# bench_wrk_parse FILE: sets the WRK_* variables above from a saved wrk report.
bench_wrk_parse() {
  local parsed
  parsed=$(awk '
    function ms(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n / 1000
      if (u == "ms") return n
      if (u == "s")  return n * 1000
      if (u == "m")  return n * 60000
      if (u == "h")  return n * 3600000
      return -1
    }
    /^Requests\/sec:/ { rps = $2 }
    /^ *99% / && dist { p99 = ms($2) }
    /Latency Distribution/ { dist = 1 }
    / requests in / { reqs = $1 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ {
      line = $0; gsub(/,/, "", line); split(line, f, " ")
      for (i = 1; i <= length(f); i++) if (f[i] ~ /^(connect|read|write|timeout)$/) sock += f[i+1]
    }
    END { printf "%s %s %s %d %d\n", (rps == "" ? "0" : rps), (p99 == "" ? "-1" : p99),
                 (reqs == "" ? "0" : reqs), non2xx, sock }
  ' "$1")
  read -r WRK_RPS WRK_P99_MS WRK_REQUESTS WRK_NON2XX WRK_SOCKERR <<<"$parsed"
}
