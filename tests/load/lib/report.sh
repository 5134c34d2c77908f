# Collecting result rows and printing them as a Markdown table (terminal and results file).

BENCH_ROWS=()
BENCH_BROKEN=0

# bench_row PATH REQ_PER_S P99_MS BASELINE_REQ_PER_S REQUESTS NON2XX SOCKERR [NOTE]
# A row with non-2xx answers, socket errors or no requests at all is flagged BROKEN.
bench_row() {
  local path=$1 rps=$2 p99=$3 base=$4 reqs=$5 non2xx=$6 sock=$7 note=${8:-}
  local ratio status=ok
  ratio=$(bench_ratio "$rps" "$base")
  if [ "${reqs%%.*}" = 0 ] || [ "$non2xx" != 0 ] || [ "$sock" != 0 ]; then
    status=BROKEN
    BENCH_BROKEN=1
  fi
  BENCH_ROWS+=("$(printf '| %s | %.0f | %.2f | %s | %s | %s | %s | %s | %s |' \
    "$path" "$rps" "$p99" "$ratio" "$reqs" "$non2xx" "$sock" "$status" "$note")")
}

# bench_table [BASELINE]: the rows under a header naming the baseline of the ratio column
# (default "pgbench INSERT").
bench_table() {
  echo "| path | req/s | p99 ms | ratio to ${1:-pgbench INSERT} | requests | non-2xx | socket errors | status | note |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${BENCH_ROWS[@]}"
}
