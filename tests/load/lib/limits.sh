# shellcheck shell=bash
# Part "limits": what this machine gives for the building blocks, measured in the same run as
# the paths, so the paths' figures can be read as ratios. pgbench for the statements the hot
# paths wait for, nginx for HTTP without our services.

# bench_limit_pgbench ID SCRIPT [PGBENCH ARGS...]: one pgbench run (-c CONNS -j THREADS
# -T DURATION -M prepared) after a checkpoint, with how busy the CPUs were (CPU_BUSY_PCT);
# bench_pgbench_row makes it a row.
bench_limit_pgbench() {
  local id=$1 script=$2; shift 2
  bench_checkpoint
  bench_log "limit $id: pgbench -c $CONNS -j $THREADS -T $DURATION -M prepared $(basename "$script")"
  bench_cpu_busy_during \
    bench_pgbench "$BENCH_WORKDIR" "$id" tickets "$script" "$CONNS" "$THREADS" "$DURATION" "$@"
  bench_log "limit $id: $PGB_TPS tps, p50 $PGB_P50_MS ms, p99 $PGB_P99_MS ms, failed $PGB_FAILED, CPU busy $CPU_BUSY_PCT %"
}

# bench_pgbench_row ID NAME NOTE [BAD]: a limits row from the last pgbench run.
bench_pgbench_row() {
  bench_add_row "$(jq -n --arg id "$1" --arg name "$2" --arg note "$3" --argjson bad "${4:-0}" \
    --argjson tps "$PGB_TPS" --argjson p50 "$PGB_P50_MS" --argjson p99 "$PGB_P99_MS" \
    --argjson txns "$PGB_TXNS" --argjson failed "$PGB_FAILED" --argjson cpu "$CPU_BUSY_PCT" '
    {id: $id, section: "limits", name: $name, value: $tps, unit: "tps", p50_ms: $p50, p99_ms: $p99,
     requests: $txns, non2xx: $failed, socket_errors: 0, bad: $bad, limit: null,
     ratio_kind: "rate", targets: {}, rss: {}, cpu_busy_pct: $cpu, note: $note, detail: {}}')"
}

bench_limits() {
  local pg="$BENCH_HERE/pgbench"

  # Durable INSERT: the ceiling of anything that must commit a new row (token issue).
  bench_psql_run tickets -f "$pg/insert-setup.sql" >/dev/null
  bench_limit_pgbench pgbench_insert "$pg/insert.sql"
  bench_pgbench_row pgbench_insert "pgbench durable INSERT, 1 row per transaction" \
    "pgbench/insert.sql: a token-shaped row, autocommit (each waits for the WAL flush); p50/p99 from a 10% sample of transactions"

  # The seat hold's conditional UPDATE on a free seat every time: the ceiling of reserve. The
  # table has room for UPDATE_MAX_TPS for the whole run; client c walks seats c, c + CONNS, ...
  local base=2030-01-01 days now_us
  days=$(( (DURATION * UPDATE_MAX_TPS + 50 * CONNS + 49) / 50 ))
  bench_psql_run tickets -v base_date="$base" -v days="$days" -f "$pg/hold-setup.sql" >/dev/null
  now_us=$(( $(date +%s) * 1000000 ))
  bench_limit_pgbench pgbench_update "$pg/hold.sql" \
    -D n=-1 -D clients="$CONNS" -D base_date="$base" -D now_us="$now_us" -D expires_us=$(( now_us + 3600 * 1000000 ))
  # pgbench counts an UPDATE that matched no row as a success: count the seats really taken.
  local held missed
  held=$(bench_psql tickets "SELECT count(*) FROM bench.seats WHERE status = 'HELD'")
  missed=$(( PGB_TXNS > held ? PGB_TXNS - held : 0 ))
  [ "$missed" = 0 ] || bench_log "error: $missed of $PGB_TXNS UPDATEs took no seat (raise BENCH_UPDATE_MAX_TPS)"
  bench_pgbench_row pgbench_update "pgbench conditional seat-hold UPDATE, 1 per transaction" \
    "pgbench/hold.sql: take_seat of services/concert/adapters/postgres/statements.cpp on a seats-shaped table of $(( days * 50 )) seats, a free seat each time, autocommit; $held seats taken (errors count UPDATEs that took none)" \
    "$missed"

  # Primary-key SELECT: the ceiling of a read that must ask the database (token check, poll).
  bench_psql_run tickets -v rows="$SELECT_ROWS" -f "$pg/select-setup.sql" >/dev/null
  bench_limit_pgbench pgbench_select "$pg/select.sql" -D rows="$SELECT_ROWS"
  bench_pgbench_row pgbench_select "pgbench primary-key SELECT" \
    "pgbench/select.sql: one token-shaped row by its text key, random among $SELECT_ROWS"
  # The baseline tables are not needed any more; the services' runs should not carry them.
  bench_psql tickets "SET client_min_messages = warning; DROP SCHEMA bench CASCADE" >/dev/null

  # nginx: a constant answer, and a proxy to that constant over upstream keep-alive.
  local dir="$BENCH_WORKDIR/limit-nginx" constant proxy try rc
  for try in 1 2 3 4 5; do
    constant=$(bench_free_port)
    proxy=$(bench_free_port)
    [ "$constant" != "$proxy" ] || continue
    bench_limit_nginx_conf "$dir" "$constant" "$proxy"
    rc=0
    bench_nginx_start limitnginx "$dir" "http://127.0.0.1:$proxy/" || rc=$?
    [ "$rc" = 75 ] || break
    bench_log "limit nginx: a port was taken meanwhile, trying others ($try)"
  done
  [ "$rc" = 0 ] || bench_die "the limit nginx did not start"
  bench_limit_wrk nginx_constant "nginx returning a constant" "http://127.0.0.1:$constant/" \
    "GET /: return 200 with a 15-byte JSON body; the gateway's worker and keep-alive settings, no access log"
  bench_limit_wrk nginx_proxy "nginx proxying to a trivial upstream (nginx constant)" "http://127.0.0.1:$proxy/" \
    "the upstream is the constant server of the same nginx (not a Beast server), over HTTP/1.1 keep-alive (keepalive 64) as the gateway proxies"
  bench_nginx_stop limitnginx

  bench_limit_flow_ceiling
}

# bench_limit_flow_ceiling: the most full flows a second this machine could give if every part
# a flow cannot do without cost no more than the building block measured above, and the
# services and SQL did nothing else. A flow's parts, each priced at the CPU time its limit
# spends per operation (cores / rate; the cores cancel out):
#   - 4 requests through the gateway (issue, reserve, charge, pay): 4 proxied requests;
#   - 2 gateway subrequests (reserve and pay are queue-gated): the proxying alone, the proxied
#     request less the constant, so the upstream's answer and wrk's share come free;
#   - 4 internal calls (the charge's user check, the payment's reservation read and confirm, the
#     token's end): one constant exchange each (wrk and nginx, the cheapest HTTP measured here);
#   - 2 durable INSERTs (token issue, the first charge's balance), 4 conditional UPDATEs (seat
#     hold, debit, confirm, token end) and 1 primary-key SELECT (the reservation read); the
#     payment's completion commits asynchronously and counts nothing.
bench_limit_flow_ceiling() {
  local rows
  rows=$(bench_rows_file)
  bench_add_row "$(jq -s -c --argjson cores "$(nproc)" '
    map({(.id): .value}) | add as $v
    | if ([$v.nginx_proxy, $v.nginx_constant, $v.pgbench_insert, $v.pgbench_update, $v.pgbench_select]
          | all(. != null and . > 0)) | not then empty else
      (6 / $v.nginx_proxy + 2 / $v.nginx_constant
       + 2 / $v.pgbench_insert + 4 / $v.pgbench_update + 1 / $v.pgbench_select) as $seconds
      | {id: "flow_ceiling", section: "derived",
         name: "flow ceiling: a flow'"'"'s required parts at the limits'"'"' cost, nothing else",
         value: (1 / $seconds), unit: "flows/s", p50_ms: null, p99_ms: null, requests: null,
         non2xx: 0, socket_errors: 0, bad: 0, limit: null, ratio_kind: "rate", targets: {},
         rss: {}, cpu_busy_pct: null,
         note: ("from the rows above: 4 proxied requests and 2 subrequests (proxy less constant) at nginx'"'"'s cost, 4 internal calls at the constant'"'"'s, 2 INSERTs, 4 UPDATEs and 1 SELECT at pgbench'"'"'s: \($seconds * $cores * 1000000 | round) us of CPU per flow on \($cores) cores. A flow of parts that cost what the building blocks cost here, doing nothing else, stops at this rate; only writes of many visitors shared by one statement and commit can cost less than pgbench'"'"'s"),
         detail: {cpu_us_per_flow: ($seconds * $cores * 1000000)}}
      end' "$rows")"
}

# bench_limit_wrk ID NAME URL NOTE: warm-up and measured wrk run of GET URL, as a limits row.
bench_limit_wrk() {
  local id=$1 name=$2 url=$3 note=$4
  bench_warmup "$id" "$url" "$BENCH_HERE/wrk/get.lua"
  bench_measure "$id" "$url" "$BENCH_HERE/wrk/get.lua"
  RSS_JSON='{}'
  bench_wrk_row "$id" limits "$name" "" '{}' "$note"
}
