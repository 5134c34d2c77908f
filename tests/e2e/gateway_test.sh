#!/usr/bin/env bash
# End-to-end checks of the nginx gateway against a running stack, through the gateway only:
#   ISSUE_RATE_LIMIT_PER_IP=10 ADMIN_API_KEY=secret deploy/local/up.sh --detach
#   ADMIN_API_KEY=secret tests/e2e/gateway_test.sh    # GATEWAY=http://127.0.0.1:8080 by default
#   deploy/local/down.sh
# Needs the demo concert (SEED_DEMO=1, the default) and free queue capacity. The rate-limit
# check assumes ISSUE_RATE_LIMIT_PER_IP is on (10 by default) and is skipped with
# ISSUE_RATE_LIMIT_PER_IP=0; the TOKEN_NOT_ACTIVE check needs ADMIN_API_KEY (it pauses the line
# for a moment). Prints "N passed, M failed" and exits non-zero on any failure.
set -euo pipefail

GATEWAY=${GATEWAY:-http://127.0.0.1:${GATEWAY_PORT:-8080}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
not_ok() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
check() { # check NAME CONDITION-COMMAND... (detail printed from $detail on failure)
  local name=$1; shift
  if "$@"; then ok "$name"; else not_ok "$name" "status=$status body=$(head -c 400 "$work/body")"; fi
}

status=""
# call METHOD PATH [curl args...]: sets $status; body in $work/body, headers in $work/headers.
call() {
  local method=$1 path=$2; shift 2
  status=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" \
    "$GATEWAY$path" "$@") || status=000
}
# json EXPR: evaluates a Python expression over the last body parsed as `d`.
json() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print("" if v is None else v)' \
    "$work/body" "$1" 2>/dev/null || true
}
header() { # header NAME: the last value of a response header (case-insensitive)
  tr -d '\r' <"$work/headers" | awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' \
    'tolower($1) == n { v = substr($0, length($1) + 3) } END { print v }'
}
has_bearer_challenge() {
  [ "$(grep -ci '^www-authenticate:' "$work/headers")" = 1 ] && [ "$(header WWW-Authenticate)" = Bearer ]
}
is_status() { [ "$status" = "$1" ]; }
# is_problem STATUS CODE: the last answer is problem+json with this status and code.
is_problem() {
  [ "$status" = "$1" ] || return 1
  [[ $(header Content-Type) == application/problem+json* ]] || return 1
  python3 - "$work/body" "$1" "$2" <<'PY' || return 1
import json, sys
d = json.load(open(sys.argv[1]))
status, code = int(sys.argv[2]), sys.argv[3]
assert d["status"] == status and d["code"] == code, d
assert d["type"] == "urn:ticketing:problem:" + code.lower().replace("_", "-"), d
assert d["title"] == code.replace("_", " ").capitalize(), d
assert isinstance(d.get("detail"), str), d
PY
}

echo "gateway: $GATEWAY"
call GET /healthz
check "healthz answers 200 JSON" is_status 200

# --- the whole journey through the gateway ---
call POST /api/v1/queue/tokens -H 'Content-Type: application/json' -d '{}'
token=$(json 'd["token"]'); user=$(json 'd["userId"]')
check "issue token: 201 ACTIVE" test "$status" = 201 -a "$(json 'd["status"]')" = ACTIVE
auth=(-H "Authorization: Bearer $token")

call GET /api/v1/queue/tokens/me "${auth[@]}"
check "poll token: 200 ACTIVE, same user" test "$status" = 200 -a "$(json 'd["userId"]')" = "$user"

call GET /api/v1/concerts/dates "${auth[@]}"
date=$(json 'd["dates"][0]["date"]')
check "dates: 200 with a date" test "$status" = 200 -a -n "$date"

call GET "/api/v1/concerts/dates/$date/seats" "${auth[@]}"
seat=$(json 'next(s["seatNo"] for s in d["seats"] if s["status"] == "AVAILABLE")')
price=$(json 'next(s["price"] for s in d["seats"] if s["status"] == "AVAILABLE")')
check "seats: 200 with an available seat" test "$status" = 200 -a -n "$seat"

call POST /api/v1/reservations "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"date\":\"$date\",\"seatNo\":$seat}"
reservation=$(json 'd["reservationId"]')
check "reserve: 201 HELD" test "$status" = 201 -a "$(json 'd["status"]')" = HELD

call POST "/api/v1/users/$user/points/charge" -H 'Content-Type: application/json' -d "{\"amount\":${price:-0}}"
check "charge (U route, no token): 200 balance = price" test "$status" = 200 -a "$(json 'd["balance"]')" = "$price"

call POST /api/v1/payments "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"reservationId\":${reservation:-0}}"
payment=$(json 'd["paymentId"]')
check "pay: 201 COMPLETED for the token's user" \
  test "$status" = 201 -a "$(json 'd["status"]')" = COMPLETED -a "$(json 'd["userId"]')" = "$user"

call GET "/api/v1/users/$user/payments"
check "payments of the user list it" test "$status" = 200 -a "$(json 'd["payments"][0]["paymentId"]')" = "$payment"

call GET /api/v1/concerts/dates "${auth[@]}"
check "the token is dead after paying: 401 TOKEN_EXPIRED" is_problem 401 TOKEN_EXPIRED

# --- token checks on Q routes ---
call GET /api/v1/concerts/dates
check "Q route without a token: 401 TOKEN_INVALID" is_problem 401 TOKEN_INVALID
check "... with one WWW-Authenticate: Bearer" has_bearer_challenge
call GET /api/v1/concerts/dates -H 'Authorization: Bearer not-a-token!'
check "Q route with a malformed token: 401 TOKEN_INVALID" is_problem 401 TOKEN_INVALID
check "... with one WWW-Authenticate: Bearer" has_bearer_challenge
call POST /api/v1/payments -H 'Authorization: Bearer 00000000000000000000000000000000' -d '{"reservationId":1}'
check "payment with an unknown token: 401 TOKEN_INVALID" is_problem 401 TOKEN_INVALID

# --- a WAITING token: 403 TOKEN_NOT_ACTIVE (needs the admin API: pauses the line briefly) ---
if [ -n "${ADMIN_API_KEY:-}" ]; then
  admin=(-H "X-Admin-Key: $ADMIN_API_KEY" -H 'Content-Type: application/json')
  call GET /api/v1/admin/queue "${admin[@]}"
  capacity=$(json 'd["capacity"]')
  check "admin route through the gateway: 200" test "$status" = 200 -a -n "$capacity"
  call PUT /api/v1/admin/queue "${admin[@]}" -d "{\"capacity\":${capacity:-100},\"paused\":true}"
  call POST /api/v1/queue/tokens -d '{}'
  waiting=$(json 'd["token"]')
  check "a token issued while paused is WAITING" test "$(json 'd["status"]')" = WAITING
  call GET /api/v1/concerts/dates -H "Authorization: Bearer $waiting"
  check "Q route with a WAITING token: 403 TOKEN_NOT_ACTIVE" is_problem 403 TOKEN_NOT_ACTIVE
  call PUT /api/v1/admin/queue "${admin[@]}" -d "{\"capacity\":${capacity:-100},\"paused\":false}"
  check "admin: the line resumes" is_status 200
else
  echo "skip TOKEN_NOT_ACTIVE (set ADMIN_API_KEY to the stack's key)"
fi

# --- a forged X-User-Id is ignored ---
call POST /api/v1/queue/tokens -d '{}'
token2=$(json 'd["token"]'); user2=$(json 'd["userId"]')
call POST /api/v1/queue/tokens -d '{}'
other=$(json 'd["userId"]')
auth2=(-H "Authorization: Bearer $token2")
call GET "/api/v1/concerts/dates/$date/seats" "${auth2[@]}"
seat2=$(json 'next(s["seatNo"] for s in d["seats"] if s["status"] == "AVAILABLE")')
call POST /api/v1/reservations "${auth2[@]}" -H "X-User-Id: $other" -H 'Content-Type: application/json' \
  -d "{\"date\":\"$date\",\"seatNo\":${seat2:-0}}"
reservation2=$(json 'd["reservationId"]')
check "reserve with a forged X-User-Id: 201" is_status 201
call GET "/api/v1/reservations/$reservation2" "${auth2[@]}"
check "... the reservation belongs to the token's user" is_status 200
call DELETE "/api/v1/reservations/$reservation2" "${auth2[@]}" -H "X-User-Id: $other"
check "... and its owner (not the forged user) releases it: 204" is_status 204
call GET "/api/v1/users/$user2/points" -H "X-User-Id: $other"
check "U route with a forged X-User-Id still serves the path's user" \
  test "$status" = 200 -a "$(json 'd["userId"]')" = "$user2"

# --- nothing internal is reachable ---
call GET /internal/v1/users/x
check "/internal/v1/users/x: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET "/internal/v1/tokens/verify" "${auth2[@]}"
check "/internal/v1/tokens/verify: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET /metrics
check "/metrics: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET /nope
check "/nope: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET /api/v1/nope
check "/api/v1/nope: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET "/api/v1/users/x/../../../internal/v1/users/x" --path-as-is
check "dot segments towards /internal: 404 NOT_FOUND" is_problem 404 NOT_FOUND
call GET "/api/v1/users/%2e%2e/%2e%2e/%2e%2e/metrics" --path-as-is
check "encoded dot segments: 404 NOT_FOUND" is_problem 404 NOT_FOUND

# --- a service's own errors pass through untouched ---
call GET /api/v1/users/not-a-uuid/points
check "a service's own 400 passes through: INVALID_USER_ID" is_problem 400 INVALID_USER_ID
call PATCH /api/v1/queue/tokens
check "a service's own 405 passes through: METHOD_NOT_ALLOWED" is_problem 405 METHOD_NOT_ALLOWED
call GET /api/v1/admin/queue
check "admin route without X-Admin-Key: 401 ADMIN_KEY_INVALID from the service" is_problem 401 ADMIN_KEY_INVALID

# --- body limit ---
head -c 65537 /dev/zero | tr '\0' 'a' >"$work/big"
call POST "/api/v1/users/$user2/points/charge" -H 'Content-Type: application/json' --data-binary "@$work/big"
check "64 KiB + 1 body: 413 PAYLOAD_TOO_LARGE" is_problem 413 PAYLOAD_TOO_LARGE

# --- request ids ---
call GET /healthz -H 'X-Request-Id: e2e-gateway-42'
check "X-Request-Id echoed" test "$(header X-Request-Id)" = e2e-gateway-42
call GET /api/v1/users/not-a-uuid/points -H 'X-Request-Id: e2e-gateway-43'
check "X-Request-Id echoed once through a service" \
  test "$(grep -ci '^x-request-id:' "$work/headers")" = 1 -a "$(header X-Request-Id)" = e2e-gateway-43
call GET /nope
check "X-Request-Id minted when absent" test -n "$(header X-Request-Id)"

# --- token issue rate limit ---
if [ "${ISSUE_RATE_LIMIT_PER_IP:-10}" != 0 ]; then
  seq 1 100 | xargs -P 20 -I{} curl -sS -o /dev/null -D - -w '%{http_code}\n' \
    -X POST "$GATEWAY/api/v1/queue/tokens" -d '{"userId":"'"$user2"'"}' >"$work/burst" 2>/dev/null || true
  limited=$(grep -c '^429$' "$work/burst" || true)
  retry=$(tr -d '\r' <"$work/burst" | grep -ci '^retry-after: 1$' || true)
  if [ "$limited" -gt 0 ] && [ "$retry" = "$limited" ]; then
    ok "100 fast token issues: $limited answered 429 with Retry-After"
  else
    not_ok "100 fast token issues: some 429 with Retry-After" "429s=$limited retry-after=$retry"
  fi
  sleep 1.2
  call POST /api/v1/queue/tokens -d '{}'
  for _ in $(seq 1 60); do
    curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' -X POST "$GATEWAY/api/v1/queue/tokens" \
      -d '{"userId":"'"$user2"'"}' >"$work/code" || true
    status=$(cat "$work/code")
    [ "$status" = 429 ] && break
  done
  check "the 429 is problem+json RATE_LIMITED" is_problem 429 RATE_LIMITED
  check "... with Retry-After" test -n "$(header Retry-After)"
else
  echo "skip rate limit (ISSUE_RATE_LIMIT_PER_IP=0)"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
