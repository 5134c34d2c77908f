# shellcheck shell=bash
# Result rows, their judgement against the targets, and the report (Markdown and JSON).
#
# A row is one JSON object in $BENCH_WORKDIR/rows.jsonl:
#   id, section (limits | derived | gateway | growth | memory; a derived row is worked out from
#   others, a memory row sampled during them: neither counts requests), name, value, unit, p50_ms, p99_ms,
#   requests, non2xx, socket_errors, bad (other failures the row's checks found),
#   limit (id of the row it is compared with), ratio_kind ("rate": value / limit's value;
#   "cost": limit's value / value, i.e. how much more each request costs than in the limit row),
#   targets {min_ratio, max_ratio, max_p99_ms, max_value} (throughput only as a ratio to a
#   limit of the same run; max_value is for memory), rss (per process
#   {rss_mb, hwm_mb} sampled during the run), cpu_busy_pct (all cores, during the run), note,
#   detail (anything else, e.g. wrk's JSON).
# The ratio and the verdict are worked out once, at the end, from all rows (bench_report_json),
# so a row can name a limit measured in the same run whatever the order, and a limit that was
# not measured (BENCH_ONLY) leaves its ratio "n/a" instead of failing.

bench_rows_file() { echo "$BENCH_WORKDIR/rows.jsonl"; }

# bench_add_row JSON: appends a row.
bench_add_row() { jq -c . <<<"$1" >>"$(bench_rows_file)"; }

# bench_wrk_row ID SECTION NAME LIMIT TARGETS_JSON NOTE [BAD] [UNIT] [VALUE] [P50] [P99]: a row
# from the last measured run (bench_measure: wrk, RSS, CPU). UNIT, VALUE and
# the percentiles override wrk's req/s and request latencies (e.g. payments/s of the flow).
bench_wrk_row() {
  local id=$1 section=$2 name=$3 limit=$4 targets=$5 note=$6 bad=${7:-0}
  local unit=${8:-req/s} value=${9:-$WRK_RPS} p50=${10:-$WRK_P50_MS} p99=${11:-$WRK_P99_MS}
  local rss=${RSS_JSON:-}
  [ -n "$rss" ] || rss='{}'
  bench_add_row "$(jq -n --arg id "$id" --arg section "$section" --arg name "$name" \
    --arg limit "$limit" --argjson targets "$targets" --arg note "$note" --argjson bad "$bad" \
    --arg unit "$unit" --argjson value "$value" --argjson p50 "$p50" --argjson p99 "$p99" \
    --argjson rss "$rss" --argjson cpu "${CPU_BUSY_PCT:-null}" --slurpfile wrk "$WRK_JSON" '
    {id: $id, section: $section, name: $name, value: $value, unit: $unit, p50_ms: $p50,
     p99_ms: $p99, requests: $wrk[0].requests, non2xx: $wrk[0].non2xx,
     socket_errors: $wrk[0].socket_errors, bad: $bad,
     limit: (if $limit == "" then null else $limit end),
     ratio_kind: (if $section == "growth" then "cost" else "rate" end), targets: $targets,
     rss: $rss, cpu_busy_pct: $cpu, note: $note, detail: {wrk: $wrk[0]}}')"
}

# bench_report_json META_JSON: the whole result (meta, rows with ratio and verdict) as JSON.
bench_report_json() {
  jq -s --argjson meta "$1" '
    def commas: tostring | [scan(".")] | reverse | [_nwise(3) | reverse | join("")] | reverse | join(",");
    # Short names of the limit rows (the table and the targets name them often).
    def limit_names: {pgbench_insert: "pgbench INSERT", pgbench_update: "pgbench UPDATE",
      pgbench_select: "pgbench SELECT", nginx_constant: "nginx constant", nginx_proxy: "nginx proxy",
      flow_ceiling: "flow ceiling"};
    (map({(.id): .}) | add // {}) as $by_id
    | map(
        . as $row
        | (if .limit then $by_id[.limit] else null end) as $lim
        | .limit_name = (if .limit then limit_names[.limit] // $lim.name // .limit else null end)
        | .ratio = (if $lim == null or ($lim.value // 0) <= 0 or (.value // 0) <= 0 then null
                    elif .ratio_kind == "cost" then $lim.value / .value
                    else .value / $lim.value end)
        | .broken = (((.section | IN("memory", "derived")) | not) and (.requests // 0) == 0
                     or (.non2xx // 0) > 0 or (.socket_errors // 0) > 0 or (.bad // 0) > 0)
        | . as $row
        | .checks = [
            (.targets.max_value // empty | {target: "<= \(commas) \($row.unit)", ok: ($row.value <= .)}),
            (.targets.min_ratio // empty
              | {target: ">= \(.)x \($row.limit_name)", ok: (if $row.ratio == null then null else $row.ratio >= . end)}),
            (.targets.max_ratio // empty
              | {target: "cost <= \(.)x", ok: (if $row.ratio == null then null else $row.ratio <= . end)}),
            (.targets.max_p99_ms // empty | {target: "p99 <= \(.) ms", ok: ($row.p99_ms <= .)})
          ]
        | .result = (if .broken then "BROKEN"
                     elif (.checks | length) == 0 then "-"
                     elif any(.checks[]; .ok == false) then "MISS"
                     elif any(.checks[]; .ok == null) then "n/a"
                     else "pass" end))
    | {meta: $meta, rows: .}
  ' "$(bench_rows_file)"
}

# bench_report_md JSON_FILE: the report as Markdown: the settings, one table, the notes.
bench_report_md() {
  jq -r '
    def commas: tostring | [scan(".")] | reverse | [_nwise(3) | reverse | join("")] | reverse | join(",");
    def figure: if . == null then "-" elif . >= 100 then (round | commas) else (. * 10 | round / 10 | tostring) end;
    def ms: if . == null or . < 0 then "-" else (. * 100 | round / 100 | tostring) end;
    def mb: if . == null then "-" else (round | tostring) end;
    def cell: tostring | gsub("\\|"; "\\|");
    .meta as $m
    | "# Benchmark \($m.stamp)", "",
      ($m.lines[] | "- \(.)"), "",
      "| # | what | figure | p50 ms | p99 ms | CPU busy % | ratio | target | result | RSS MB q / c / p / gw | errors |",
      "|---:|---|---:|---:|---:|---:|---|---|---|---|---:|",
      (.rows | to_entries[] | (.key + 1) as $n | .value
        | "| \($n) | \(.name | cell) | \(.value | figure) \(.unit) | \(.p50_ms | ms) | \(.p99_ms | ms) | \(.cpu_busy_pct // "-") | "
          + (if .ratio == null then (if .limit then "n/a (\(.limit_name | cell))" else "-" end)
             elif .ratio_kind == "cost" then "\(.ratio * 100 | round / 100)x cost at 1k"
             else "\(.ratio * 100 | round / 100)x \(.limit_name | cell)" end)
          + " | \([.checks[] | .target] | join("; ") | if . == "" then "-" else . end) | "
          + (if .result == "MISS" then "**MISS** (\([.checks[] | select(.ok == false) | .target] | join("; ")))" else .result end)
          + " | \(if (.rss | length) == 0 then "-" else "\(.rss.queue.rss_mb | mb) / \(.rss.concert.rss_mb | mb) / \(.rss.payment.rss_mb | mb) / \(.rss.gateway.rss_mb | mb)" end)"
          + " | \(if .section | IN("memory", "derived") then "-" else ((.non2xx // 0) + (.socket_errors // 0) + (.bad // 0) | tostring) end) |"),
      "",
      "Notes:",
      (.rows | to_entries[] | select(.value.note != "") | "- \(.key + 1): \(.value.note)"),
      ($m.after[]? | "- \(.)")
  ' "$1"
}
