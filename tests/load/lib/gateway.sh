# shellcheck shell=bash
# Part "gateway": the public paths through the nginx gateway, each with wrk at CONNS connections:
# token issue, poll, seat list (gated), reserve (gated, distinct seats), charge, and the full
# flow (issue -> admitted -> reserve -> charge -> pay) in payments/s.

PRICE=50000

# bench_dates_from BASE COUNT: COUNT consecutive dates from BASE, one YYYY-MM-DD a line.
bench_dates_from() {
  bench_psql postgres "SELECT to_char(date '$1' + g, 'YYYY-MM-DD') FROM generate_series(0, $2 - 1) g"
}

# bench_create_concerts TITLE DATES_FILE: one concert (price PRICE) per 366 dates of the file,
# through the gateway's admin API; every answer must be 201.
bench_create_concerts() {
  local title=$1 file=$2 chunk n=0
  local chunks="$BENCH_WORKDIR/chunks"
  rm -rf "$chunks"; mkdir -p "$chunks"
  split -l 366 -d -a 3 "$file" "$chunks/dates."
  for chunk in "$chunks"/dates.*; do
    n=$((n + 1))
    jq -Rn --arg title "$title $n" --argjson price "$PRICE" '{title: $title, price: $price, dates: [inputs]}' \
      <"$chunk" >"$BENCH_WORKDIR/concert-body.json"
    bench_expect 201 POST "$GATEWAY/api/v1/admin/concerts" "@$BENCH_WORKDIR/concert-body.json" \
      -H "X-Admin-Key: $ADMIN_KEY"
  done
  bench_log "created $n concert(s) '$title': $(wc -l <"$file") dates of 50 seats"
}

# bench_gateway_data: the dates of the seat list (LIST_FILE), of reserve (RESERVE_FILE) and of
# the flow (FLOW_FILE), each pool sized for the warm-up and the measured run at its max rate.
bench_gateway_data() {
  local reserve_days flow_days flow_base
  reserve_days=$(( ((WARMUP + DURATION) * RESERVE_MAX_RPS + 2 * CONNS + 49) / 50 ))
  flow_days=$(( ((WARMUP + DURATION) * FLOW_MAX_RATE + 2 * CONNS + 49) / 50 ))
  flow_base=$(date -u -d "2030-01-01 + $reserve_days days" +%F)
  LIST_FILE="$BENCH_WORKDIR/list-dates.txt"
  RESERVE_FILE="$BENCH_WORKDIR/reserve-dates.txt"
  FLOW_FILE="$BENCH_WORKDIR/flow-dates.txt"
  bench_dates_from 2029-01-01 "$LIST_DATES" >"$LIST_FILE"
  bench_dates_from 2030-01-01 "$reserve_days" >"$RESERVE_FILE"
  bench_dates_from "$flow_base" "$flow_days" >"$FLOW_FILE"
  bench_create_concerts "Bench seat list" "$LIST_FILE"
  bench_create_concerts "Bench reserve" "$RESERVE_FILE"
  bench_create_concerts "Bench flow" "$FLOW_FILE"
  # Fresh statistics for the tables just filled, and only those: analysing the queue's still
  # empty tables would plan its foreign-key checks as sequential scans (see the README).
  bench_psql tickets "VACUUM (ANALYZE) concert.concerts, concert.dates, concert.seats" >/dev/null
}

# bench_gateway_smoke: one visitor's journey by hand through the gateway, so a wrong route, a
# refused token or a changed shape stops the run before any load: issue 201 ACTIVE, poll 200,
# a gated route without token 401, seat list 50 seats, reserve 201, charge 200, pay 201, and
# the token refused (401) once paid.
bench_gateway_smoke() {
  local token user reservation date
  date=$(tail -1 "$LIST_FILE")
  bench_expect 201 POST "$GATEWAY/api/v1/queue/tokens" '{}'
  token=$(jq -er .token "$BENCH_WORKDIR/answer.json") || bench_die "no token in $(cat "$BENCH_WORKDIR/answer.json")"
  user=$(jq -er .userId "$BENCH_WORKDIR/answer.json")
  [ "$(jq -r .status "$BENCH_WORKDIR/answer.json")" = ACTIVE ] || bench_die "a new token is not ACTIVE at issue: $(cat "$BENCH_WORKDIR/answer.json")"
  local auth=(-H "Authorization: Bearer $token")
  bench_expect 200 GET "$GATEWAY/api/v1/queue/tokens/me" "" "${auth[@]}"
  bench_expect 401 GET "$GATEWAY/api/v1/concerts/dates/$date/seats" ""
  bench_expect 200 GET "$GATEWAY/api/v1/concerts/dates/$date/seats" "" "${auth[@]}"
  [ "$(jq '.seats | length' "$BENCH_WORKDIR/answer.json")" = 50 ] || bench_die "the seat list has not 50 seats"
  bench_expect 201 POST "$GATEWAY/api/v1/reservations" "{\"date\":\"$date\",\"seatNo\":50}" "${auth[@]}"
  reservation=$(jq -er .reservationId "$BENCH_WORKDIR/answer.json")
  bench_expect 200 POST "$GATEWAY/api/v1/users/$user/points/charge" "{\"amount\":$PRICE}"
  bench_expect 201 POST "$GATEWAY/api/v1/payments" "{\"reservationId\":$reservation}" "${auth[@]}"
  bench_expect 401 GET "$GATEWAY/api/v1/queue/tokens/me" "" "${auth[@]}"
  bench_log "smoke journey through the gateway ok (issue, poll, 401 without token, seat list, reserve, charge, pay, token refused after payment)"
}

# bench_record_tokens FILE: issues tokens through the gateway for TOKEN_SECONDS and keeps the
# ACTIVE ones as "userId token" lines: the visitors of poll, seat list, reserve and charge.
bench_record_tokens() {
  local file=$1 n
  bench_log "issuing tokens for ${TOKEN_SECONDS}s to poll and use"
  rm -f "$BENCH_WORKDIR"/tokens.part.*
  bench_wrk "$BENCH_WORKDIR/wrk-record-tokens" "$THREADS" "$CONNS" "$TOKEN_SECONDS" "$GATEWAY" \
    "$BENCH_HERE/wrk/record-tokens.lua" "$BENCH_WORKDIR/tokens.part"
  cat "$BENCH_WORKDIR"/tokens.part.* >"$file"
  n=$(wc -l <"$file")
  [ "$n" -ge 100 ] || bench_die "only $n ACTIVE tokens recorded (see $BENCH_WORKDIR/wrk-record-tokens.txt)"
  bench_log "$n ACTIVE tokens recorded"
}


bench_gateway() {
  local tokens="$BENCH_WORKDIR/tokens.txt" wrk_dir="$BENCH_HERE/wrk"
  bench_gateway_data
  bench_gateway_smoke

  # Token issue: every request mints a user and a token (ACTIVE at once: the line is wide open).
  bench_warmup issue "$GATEWAY" "$wrk_dir/issue.lua"
  bench_measure issue "$GATEWAY" "$wrk_dir/issue.lua"
  bench_wrk_row issue gateway "token issue POST /api/v1/queue/tokens" pgbench_insert \
    '{"min_ratio": 0.5, "max_p99_ms": 25}' \
    "body {}: a new user and an ACTIVE token per request"

  bench_record_tokens "$tokens"
  local ntokens
  ntokens=$(wc -l <"$tokens")

  # Poll: GET /tokens/me of ACTIVE tokens, round-robin.
  bench_warmup poll "$GATEWAY" "$wrk_dir/poll.lua" "$tokens"
  bench_measure poll "$GATEWAY" "$wrk_dir/poll.lua" "$tokens"
  bench_wrk_row poll gateway "poll GET /api/v1/queue/tokens/me" nginx_proxy \
    '{"min_ratio": 0.5, "max_p99_ms": 25}' "$ntokens ACTIVE tokens round-robin"

  # Seat list: gated, so the gateway checks the token (auth_request to the queue) first.
  bench_warmup seats "$GATEWAY" "$wrk_dir/seats.lua" "$LIST_FILE" "$tokens"
  bench_measure seats "$GATEWAY" "$wrk_dir/seats.lua" "$LIST_FILE" "$tokens"
  # Two proxied exchanges a request (the token check, then the seats), so 0.5x nginx proxying is
  # its ceiling; 0.35x leaves the two services 30 % of it for their own work.
  bench_wrk_row seats gateway "seat list (gated) GET /api/v1/concerts/dates/{date}/seats" nginx_proxy \
    '{"min_ratio": 0.35, "max_p99_ms": 25}' \
    "$LIST_DATES dates round-robin, 50 seats each; $ntokens tokens round-robin"

  # Reserve: gated, a seat nobody asked for on every request; the measured run starts past
  # every seat the warm-up asked for.
  local start=0 warm_ok=0 held ok lost
  bench_warmup reserve "$GATEWAY" "$wrk_dir/reserve.lua" "$RESERVE_FILE" 0 "$THREADS" "$tokens"
  if [ -n "$WARM_JSON" ]; then
    start=$(jq '.maxima.next_index // 0' "$WARM_JSON")
    warm_ok=$(jq '.requests - .non2xx' "$WARM_JSON")
  fi
  bench_measure reserve "$GATEWAY" "$wrk_dir/reserve.lua" "$RESERVE_FILE" "$start" "$THREADS" "$tokens"
  # Every 201 held one seat: fewer held seats than 201s count as failures of the row.
  held=$(bench_psql tickets "SELECT count(*) FROM concert.seats s WHERE s.status = 'HELD'
    AND s.date BETWEEN date '$(head -1 "$RESERVE_FILE")' AND date '$(tail -1 "$RESERVE_FILE")'")
  ok=$(( warm_ok + WRK_REQUESTS - WRK_NON2XX ))
  lost=$(( ok > held ? ok - held : 0 ))
  [ "$lost" = 0 ] || bench_log "error: $ok reserves answered 201 but $held seats are HELD"
  bench_wrk_row reserve gateway "reserve (gated) POST /api/v1/reservations" pgbench_update \
    '{"min_ratio": 0.3, "max_p99_ms": 25}' \
    "a free seat per request (seats $start..$(jq '.maxima.next_index // 0' "$WRK_JSON") of $(( $(wc -l <"$RESERVE_FILE") * 50 ))), $ntokens users round-robin (one seat per user and date); $held seats HELD after warm-up + run" \
    "$lost"

  # Charge: a user route (no token), amount 1, the recorded users round-robin.
  bench_warmup charge "$GATEWAY" "$wrk_dir/charge.lua" "$tokens"
  bench_measure charge "$GATEWAY" "$wrk_dir/charge.lua" "$tokens"
  bench_wrk_row charge gateway "charge POST /api/v1/users/{userId}/points/charge" pgbench_insert \
    '{"max_p99_ms": 25}' "amount 1, $ntokens users round-robin; ratio for scale only"

  bench_gateway_flow
}

# bench_gateway_flow_only: part "flow", the full flow alone after its data and the smoke journey.
bench_gateway_flow_only() {
  bench_gateway_data
  bench_gateway_smoke
  bench_gateway_flow
}

# bench_gateway_flow: the full flow, fresh visitors and seats, in completed payments (201) a
# second; the database sessions' waits are sampled meanwhile (FLOW_WAITS).
bench_gateway_flow() {
  local start=0 warm_paid=0 paid completed lost
  local script="$BENCH_HERE/wrk/flow.lua"
  bench_warmup flow "$GATEWAY" "$script" "$FLOW_FILE" 0 "$THREADS" "$PRICE"
  if [ -n "$WARM_JSON" ]; then
    start=$(jq '.maxima.next_index // 0' "$WARM_JSON")
    warm_paid=$(jq '.counts.paid // 0' "$WARM_JSON")
  fi
  bench_waits_start "$BENCH_WORKDIR/waits-flow.txt"
  bench_measure flow "$GATEWAY" "$script" "$FLOW_FILE" "$start" "$THREADS" "$PRICE"
  bench_waits_stop
  FLOW_WAITS=$TOP_WAITS
  paid=$(bench_wrk_get '.counts.paid // 0')
  # Every 201 of a payment must have left a COMPLETED payment (the smoke journey's is one more).
  completed=$(bench_psql tickets "SELECT count(*) FROM payment.payments WHERE status = 'COMPLETED'")
  lost=$(( warm_paid + paid + 1 > completed ? warm_paid + paid + 1 - completed : 0 ))
  [ "$lost" = 0 ] || bench_log "error: $(( warm_paid + paid + 1 )) payments answered 201 but $completed are COMPLETED"
  local unexpected rate
  unexpected=$(bench_wrk_get '[.counts | to_entries[] | select(.key | startswith("unexpected") or startswith("uncorrelated")) | .value] | add // 0')
  [ "$unexpected" = 0 ] || bench_log "error: flows ended on unexpected answers: $(bench_wrk_get -c '.counts')"
  rate=$(bench_wrk_get '.counts.paid // 0 | . / '"$(bench_wrk_get .seconds)")
  bench_log "flow: $(printf '%.0f' "$rate") payments/s; flow p50 $(bench_wrk_get .samples.p50_ms) ms, p99 $(bench_wrk_get .samples.p99_ms) ms; waits: $FLOW_WAITS"
  bench_wrk_row flow gateway "full flow: issue -> admitted -> reserve -> charge -> pay" flow_ceiling \
    '{"min_ratio": 0.5, "max_p99_ms": 25}' \
    "completed payments (pay answered 201) a second; a new visitor, token and seat per flow (4 requests: the token is ACTIVE at issue); p50/p99 are of single requests, the whole flow (issue sent to pay answered) took p50 $(bench_wrk_get '.samples.p50_ms * 100 | round / 100') ms, p99 $(bench_wrk_get '.samples.p99_ms * 100 | round / 100') ms; $(bench_wrk_get -c '.counts'); ratio: to the flow ceiling worked out from the limits (part limits)" \
    $(( lost + unexpected )) "payments/s" "$rate"
}
