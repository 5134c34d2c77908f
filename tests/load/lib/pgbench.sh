# shellcheck shell=bash
# pgbench runs that give the database's own limit for a kind of statement.

PGBENCH="${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}"

# bench_pgbench OUTDIR NAME DB SCRIPT_FILE CLIENTS THREADS SECONDS [PGBENCH ARGS...]: runs a
# custom pgbench script with prepared statements (durable commits: the cluster's defaults),
# logging a 10% sample of transactions for percentiles. Extra arguments (e.g. -D NAME=VALUE)
# go to pgbench as they are. Sets:
#   PGB_TPS      transactions/s (without initial connection time)
#   PGB_P50_MS   median transaction latency in ms, from the sampled log
#   PGB_P99_MS   99th percentile transaction latency in ms, from the sampled log
#   PGB_TXNS     transactions processed
#   PGB_FAILED   failed transactions
bench_pgbench() {
  local outdir=$1 name=$2 db=$3 script=$4 clients=$5 threads=$6 secs=$7; shift 7
  local out="$outdir/pgbench-$name.txt" logdir="$outdir/pgbench-$name-log"
  mkdir -p "$logdir"
  (cd "$logdir" && timeout --kill-after=5 $(( secs + 60 )) "$PGBENCH" -n -M prepared \
      -c "$clients" -j "$threads" -T "$secs" -f "$script" -l --sampling-rate=0.1 \
      --log-prefix=txn "$@" "${BENCH_PG_AS_SUPER[@]}" "$db") \
    >"$out" 2>&1 || { cat "$out" >&2; bench_die "pgbench $name failed"; }
  PGB_TPS=$(awk '/^tps = / { print $3; exit }' "$out")
  PGB_TXNS=$(awk -F': ' '/number of transactions actually processed/ { split($2, a, "/"); print a[1]; exit }' "$out")
  PGB_FAILED=$(awk -F': ' '/number of failed transactions/ { split($2, a, " "); print a[1]; exit }' "$out")
  PGB_FAILED=${PGB_FAILED:-0}
  # Per-transaction log: client_id transaction_no latency_us script_no epoch_s epoch_us.
  read -r PGB_P50_MS PGB_P99_MS < <(cat "$logdir"/txn.* 2>/dev/null | awk '{ print $3 }' | sort -n |
    awk 'function at(q,   i) { i = int(NR * q + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] / 1000 }
         { v[NR] = $1 } END { if (NR == 0) { print "-1 -1"; exit } printf "%.2f %.2f\n", at(0.50), at(0.99) }')
  [ -n "$PGB_TPS" ] || { cat "$out" >&2; bench_die "no tps in pgbench $name output"; }
}
