# shellcheck shell=bash
# Part "growth": does a request cost more when the line is long? Poll and issue through the
# gateway with 1,000 and then with 1,000,000 tokens WAITING in the queue's line; the cost ratio
# is req/s at 1k over req/s at 1M (1.00: no growth).

# bench_waiting: the line's WAITING count, from the queue's own counters.
bench_waiting() { bench_psql tickets "SELECT waiting FROM queue.line WHERE id = 1"; }

# bench_fill_waiting N TAG: N more WAITING tokens at the end of the line (sql/fill-waiting.sql).
bench_fill_waiting() {
  local n=$1 tag=$2 lock
  [ "$n" -gt 0 ] || return 0
  # The queue's line lock, read from its source so the fill always takes the lock it takes.
  lock=$(grep -o 'kLineLock = 0x[0-9a-fA-F]*' "$ROOT/services/queue/adapters/postgres/statements.hpp" | sed 's/.*0x//')
  [ -n "$lock" ] || bench_die "kLineLock not found in services/queue/adapters/postgres/statements.hpp"
  local t0=$SECONDS
  bench_psql_run tickets -v n="$n" -v tag="$tag" -v line_lock=$(( 16#$lock )) \
    -f "$BENCH_HERE/sql/fill-waiting.sql" >/dev/null || bench_die "filling the line failed"
  bench_log "added $n WAITING tokens in $(( SECONDS - t0 )) s; the line has $(bench_waiting) waiting"
}

# bench_waiting_sample FILE: "userId token" of up to GROWTH_POLL_TOKENS WAITING tokens spread
# evenly over the whole line (the same number at 1k and at 1M, so wrk's work is the same).
bench_waiting_sample() {
  bench_psql tickets "SELECT user_id || ' ' || token FROM (
      SELECT user_id, token, row_number() OVER (ORDER BY place) AS rn, count(*) OVER () AS n
      FROM queue.tokens WHERE status = 'WAITING') t
    WHERE rn % greatest(1, n / $GROWTH_POLL_TOKENS) = 0 LIMIT $GROWTH_POLL_TOKENS" >"$1"
  [ -s "$1" ] || bench_die "no WAITING tokens to poll"
}

# bench_growth_step LABEL WAITING: poll and issue rows with the line at WAITING tokens. The rows
# at 1M name the 1k rows as their limit (growth rows compare costs: see lib/report.sh).
bench_growth_step() {
  local label=$1 want=$2 sample="$BENCH_WORKDIR/waiting-$1.txt" at_start at_end
  bench_fill_waiting $(( want - $(bench_waiting) )) "bench-$label"
  bench_waiting_sample "$sample"
  local targets='{"max_p99_ms": 25}' poll_limit="" issue_limit=""
  if [ "$label" = 1m ]; then
    targets='{"max_ratio": 1.2, "max_p99_ms": 25}'
    poll_limit=growth_poll_1k
    issue_limit=growth_issue_1k
  fi

  at_start=$(bench_waiting)
  bench_warmup "growth-poll-$label" "$GATEWAY" "$BENCH_HERE/wrk/poll.lua" "$sample"
  bench_measure "growth-poll-$label" "$GATEWAY" "$BENCH_HERE/wrk/poll.lua" "$sample"
  bench_wrk_row "growth_poll_$label" growth "poll, $(bench_commas "$at_start") tokens waiting" "$poll_limit" "$targets" \
    "$(wc -l <"$sample") WAITING tokens spread over the line, round-robin (positions computed, heartbeats batched)"

  at_start=$(bench_waiting)
  bench_warmup "growth-issue-$label" "$GATEWAY" "$BENCH_HERE/wrk/issue.lua"
  at_start=$(bench_waiting)
  bench_measure "growth-issue-$label" "$GATEWAY" "$BENCH_HERE/wrk/issue.lua"
  at_end=$(bench_waiting)
  bench_wrk_row "growth_issue_$label" growth "token issue, $(bench_commas "$at_start") tokens waiting" "$issue_limit" "$targets" \
    "every new token joins the line as WAITING (the line is paused), so it grows to $(bench_commas "$at_end") by the end of the run"
}

bench_growth() {
  # Pause the line through the admin API: nobody is admitted, so the filled tokens and every
  # token issued from now on stay WAITING. (The gateway part, which needs ACTIVE tokens, is over.)
  bench_expect 200 PUT "$GATEWAY/api/v1/admin/queue" '{"paused": true}' -H "X-Admin-Key: $ADMIN_KEY"
  bench_log "line paused: $(cat "$BENCH_WORKDIR/answer.json")"
  local waiting
  waiting=$(bench_waiting)
  [ "$waiting" -le 1000 ] || bench_die "the line already has $waiting waiting; the 1k step needs at most 1000"
  bench_growth_step 1k 1000
  bench_growth_step 1m 1000000
}
