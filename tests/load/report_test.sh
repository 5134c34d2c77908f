#!/usr/bin/env bash
# The benchmark's judgement without running a benchmark: synthetic rows go through the same
# functions bench.sh uses (the flow ceiling, ratios, verdicts, the Markdown table), and the
# results are checked against figures worked out by hand. Needs only jq.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=SCRIPTDIR/lib/report.sh
source "$here/lib/report.sh"
# shellcheck source=SCRIPTDIR/lib/limits.sh
source "$here/lib/limits.sh"

BENCH_WORKDIR=$(mktemp -d)
trap 'rm -rf "$BENCH_WORKDIR"' EXIT
failures=0

check() {  # check WHAT EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then
    echo "ok: $1"
  else
    echo "FAILED: $1: expected '$2', got '$3'"
    failures=$((failures + 1))
  fi
}

# limit ID VALUE: a limits row as the limit runs leave it.
limit() {
  bench_add_row "{\"id\": \"$1\", \"section\": \"limits\", \"name\": \"$1\", \"value\": $2,
    \"unit\": \"req/s\", \"requests\": 1000, \"non2xx\": 0, \"socket_errors\": 0, \"bad\": 0,
    \"limit\": null, \"ratio_kind\": \"rate\", \"targets\": {}, \"rss\": {}, \"note\": \"\"}"
}

# path ID VALUE REQUESTS LIMIT TARGETS: a row measured through the gateway.
path() {
  bench_add_row "{\"id\": \"$1\", \"section\": \"gateway\", \"name\": \"$1\", \"value\": $2,
    \"unit\": \"req/s\", \"p99_ms\": 10, \"requests\": $3, \"non2xx\": 0, \"socket_errors\": 0,
    \"bad\": 0, \"limit\": \"$4\", \"ratio_kind\": \"rate\", \"targets\": $5, \"rss\": {},
    \"note\": \"\"}"
}

report() { bench_report_json '{"stamp": "test", "lines": []}' >"$BENCH_WORKDIR/report.json"; }
field() { jq -r --arg id "$1" ".rows[] | select(.id == \$id) | $2" "$BENCH_WORKDIR/report.json"; }

# --- every limit measured: the ceiling is worked out, and the flow is judged against it -----
limit pgbench_insert 25000
limit pgbench_update 20000
limit pgbench_select 50000
limit nginx_constant 100000
limit nginx_proxy 50000
bench_limit_flow_ceiling
path flow 1000 10000 flow_ceiling '{"min_ratio": 0.5, "max_p99_ms": 25}'
path poll 30000 300000 nginx_proxy '{"min_ratio": 0.5}'
path seats 20000 200000 nginx_proxy '{"min_ratio": 0.35, "max_p99_ms": 25}'
path slow_seats 15000 150000 nginx_proxy '{"min_ratio": 0.35, "max_p99_ms": 5}'
path broken_run 5000 0 nginx_proxy '{}'
report

# 6/50,000 + 2/100,000 + 2/25,000 + 4/20,000 + 1/50,000 = 0.00044 s: 2,272.7 flows a second.
check "the ceiling is the flow's parts at the limits' cost" 2272.73 \
  "$(field flow_ceiling '.value * 100 | round / 100')"
check "the ceiling's CPU per flow counts the cores" "$(( 440 * $(nproc) ))" \
  "$(field flow_ceiling '.detail.cpu_us_per_flow | round')"
check "a derived row counts no requests and is not broken" "-" "$(field flow_ceiling .result)"
check "the flow's ratio is to the ceiling" 0.44 "$(field flow '.ratio * 100 | round / 100')"
check "a ratio below its minimum misses" MISS "$(field flow .result)"
check "a ratio above its minimum passes" pass "$(field poll .result)"
check "the seat list's ratio is to nginx proxying" 0.4 "$(field seats '.ratio * 100 | round / 100')"
check "the seat list at 0.4x passes its 0.35x" pass "$(field seats .result)"
check "a row missing its ratio and its p99 names both" \
  '>= 0.35x nginx proxy; p99 <= 5 ms' "$(field slow_seats '[.checks[] | select(.ok == false) | .target] | join("; ")')"
check "no target is an absolute rate" 0 \
  "$(jq '[.rows[] | .checks[] | select(.target | test("req/s|payments/s"))] | length' "$BENCH_WORKDIR/report.json")"
check "a run without requests is broken" BROKEN "$(field broken_run .result)"
bench_report_md "$BENCH_WORKDIR/report.json" >"$BENCH_WORKDIR/report.md"
check "the table names the flow's limit" 1 \
  "$(grep -c '| 0.44x flow ceiling | >= 0.5x flow ceiling; p99 <= 25 ms | \*\*MISS\*\* (>= 0.5x flow ceiling)' "$BENCH_WORKDIR/report.md")"

# --- a limit missing (BENCH_ONLY=flow): no ceiling, and the flow's ratio is n/a --------------
: >"$(bench_rows_file)"
limit pgbench_insert 25000
bench_limit_flow_ceiling
path flow 1000 10000 flow_ceiling '{"min_ratio": 0.5, "max_p99_ms": 25}'
path slow_flow 1000 10000 flow_ceiling '{"min_ratio": 0.5, "max_p99_ms": 5}'
report
check "no ceiling without all five limits" 0 "$(jq '[.rows[] | select(.id == "flow_ceiling")] | length' "$BENCH_WORKDIR/report.json")"
check "the flow's ratio is unknown without its limit" null "$(field flow .ratio)"
check "a ratio target without its limit is n/a" n/a "$(field flow .result)"
check "the p99 is still judged without the limit" MISS "$(field slow_flow .result)"

[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
