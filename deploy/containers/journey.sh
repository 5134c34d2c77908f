#!/usr/bin/env bash
# The journey of the top README, with curl, against a running gateway: a token, poll until
# ACTIVE, dates and seats, a hold, points, the payment, then the token is spent (401). Checks
# each status and prints the user id (for later checks that the data survived).
#   deploy/containers/journey.sh http://127.0.0.1:18080
set -euo pipefail
G=$1
json() { python3 -c 'import sys, json; print(json.load(sys.stdin)'"$1"')'; }
# call EXPECTED_STATUS curl-arguments...: the body; fails on any other status. A 503 says
# "retry later" (a dependency not yet reachable right after start): retried for up to 10 s,
# as a client does; every step that can meet one is keyed or changes nothing.
call() {
  local expected=$1 out status tries; shift
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    out=$(curl -sS -w '\n%{http_code}' "$@")
    status=${out##*$'\n'}
    [ "$status" = 503 ] && [ "$expected" != 503 ] || break
    echo "journey: 503 from curl $*, again in 1 s" >&2
    sleep 1
  done
  if [ "$status" != "$expected" ]; then
    echo "journey: expected $expected, got $status from curl $*: ${out%$'\n'*}" >&2
    return 1
  fi
  printf '%s' "${out%$'\n'*}"
}

T=$(call 201 -X POST "$G/api/v1/queue/tokens" -d '{}')
TOKEN=$(json '["token"]' <<<"$T")
USER_ID=$(json '["userId"]' <<<"$T")
A="Authorization: Bearer $TOKEN"
for _ in $(seq 50); do
  [ "$(call 200 "$G/api/v1/queue/tokens/me" -H "$A" | json '["status"]')" = ACTIVE ] && break
  sleep 0.2
done
DATE=$(call 200 "$G/api/v1/concerts/dates" -H "$A" | json '["dates"][0]["date"]')
SEAT=$(call 200 "$G/api/v1/concerts/dates/$DATE/seats" -H "$A" |
       python3 -c 'import sys, json; print(next(s["seatNo"] for s in json.load(sys.stdin)["seats"] if s["status"] == "AVAILABLE"))')
RESERVATION=$(call 201 -X POST "$G/api/v1/reservations" -H "$A" \
              -d "{\"date\":\"$DATE\",\"seatNo\":$SEAT}" | json '["reservationId"]')
call 200 -X POST "$G/api/v1/users/$USER_ID/points/charge" -H "Idempotency-Key: top-up-1" \
  -d '{"amount":200000}' >/dev/null
PAYMENT=$(call 201 -X POST "$G/api/v1/payments" -H "$A" -H "Idempotency-Key: pay-1" \
          -d "{\"reservationId\":$RESERVATION}")
[ "$(json '["status"]' <<<"$PAYMENT")" = COMPLETED ]
call 401 "$G/api/v1/concerts/dates" -H "$A" | grep -q TOKEN_EXPIRED
echo "$USER_ID"
