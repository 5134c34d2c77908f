# Sourced by deploy/containers/test.sh: the checks against the running compose stack. Uses
# test.sh's compose, container, figure, $gateway, $here and $root.

services=(queue concert payment)
declare -A service_port=([queue]=8081 [concert]=8082 [payment]=8083)

project_containers() {
  podman ps -a --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --format '{{.Names}}'
}

# wait_all_healthy [SECONDS]: every container of the project running and healthy.
wait_all_healthy() {
  local limit=${1:-180} started=$SECONDS name state waiting
  while :; do
    waiting=""
    for name in $(project_containers); do
      state=$(podman inspect --format '{{.State.Status}} {{.State.Health.Status}}' "$name")
      [ "$state" = "running healthy" ] || waiting+=" $name($state)"
    done
    [ -z "$waiting" ] && return 0
    if ((SECONDS - started > limit)); then
      echo "not healthy after $limit s:$waiting" >&2
      return 1
    fi
    sleep 1
  done
}

check_journey() {
  journey_user=$("$here/journey.sh" "$gateway")
  echo "ok: the README journey, user $journey_user"
}

# in_container NAME HOST PORT REQUEST-HEADERS...: the status line of a GET / over bash's
# /dev/tcp from inside container NAME (the images have no curl).
in_container_status() {
  local name=$1 host=$2 port=$3 target=$4; shift 4
  local headers="" header
  for header in "$@"; do headers+="$header\r\n"; done
  podman exec "$name" bash -c "exec 3<>/dev/tcp/$host/$port &&
    printf 'GET $target HTTP/1.0\r\nHost: $host\r\n$headers\r\n' >&3 &&
    IFS= read -r line <&3 && echo \"\${line%\$'\r'}\""
}

# Only the gateway publishes a port on the host. The engine's bridge addresses stay routable from
# the host itself (root), as with Docker: what keeps the services closed there is the trust
# boundary, so a request from the host straight to a replica's address must be 401.
check_isolation() {
  local name bindings address status
  for name in $(project_containers); do
    bindings=$(podman port "$name")
    case "$name" in
      *_gateway_*) [ -n "$bindings" ] || { echo "the gateway publishes no port" >&2; return 1; } ;;
      *) [ -z "$bindings" ] || { echo "$name publishes $bindings" >&2; return 1; } ;;
    esac
  done
  figure "published ports: only the gateway's ($(podman port "$(container gateway_1)" | tr '\n' ' '))"
  for service in "${services[@]}"; do
    name=$(container "${service}_1")
    address=$(podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$name")
    address=${address%% *}
    status=$(curl -s -o /dev/null -w '%{http_code}' -m 3 \
             "http://$address:${service_port[$service]}/api/v1/users/$journey_user/points" || true)
    [ "$status" = 401 ] ||
      { echo "from the host, $name at $address answered $status without the internal key" >&2; return 1; }
  done
  echo "ok: only the gateway is published; a replica's own address answers the host 401 without the key"
}

check_trust_boundary() {
  local gw target status
  gw=$(container gateway_1)
  target=/api/v1/users/$journey_user/points
  status=$(in_container_status "$gw" payment 8083 "$target")
  [[ $status == *" 401 "* ]] || { echo "payment without the internal key: $status" >&2; return 1; }
  status=$(in_container_status "$gw" payment 8083 "$target" "X-Internal-Key: $INTERNAL_API_KEY")
  [[ $status == *" 200 "* ]] || { echo "payment with the internal key: $status" >&2; return 1; }
  status=$(in_container_status "$gw" queue 8081 /internal/v1/tokens/verify "X-User-Id: $journey_user")
  [[ $status == *" 401 "* ]] || { echo "internal route without the key: $status" >&2; return 1; }
  status=$(in_container_status "$gw" concert 8082 /api/v1/reservations/1 "X-User-Id: $journey_user")
  [[ $status == *" 401 "* ]] || { echo "forged X-User-Id without the key: $status" >&2; return 1; }
  echo "ok: inside the network, no key 401, the key 200; a forged X-User-Id or internal call 401"
}

check_hardening() {
  local name uid
  for name in $(project_containers); do
    case "$name" in *_postgres_*) continue ;; esac
    uid=$(podman exec "$name" id -u)
    [ "$uid" != 0 ] || { echo "$name runs as root" >&2; return 1; }
    [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$name")" = true ] ||
      { echo "$name has a writable root filesystem" >&2; return 1; }
    if podman exec "$name" bash -c ': >/usr/local/bin/written' 2>/dev/null; then
      echo "$name could write to its root filesystem" >&2; return 1
    fi
  done
  echo "ok: every service and gateway container runs as uid 10001 on a read-only root"
}

check_failover() {
  local result
  result=$(python3 "$here/failover.py" "$gateway" \
           "$(container queue_1)" "$(container concert_1)" "$(container payment_1)")
  echo "$result"
  figure "failover: $result"
  wait_all_healthy 60
}

# requests_served NAME: access-log lines of container NAME (one JSON line per request).
requests_served() { podman logs "$1" 2>&1 | grep -c '"status":' || true; }

check_scale_up() {
  local gw started_before restarts_before third served started token
  gw=$(container gateway_1)
  started_before=$(podman inspect --format '{{.State.StartedAt}}' "$gw")
  restarts_before=$(podman inspect --format '{{.RestartCount}}' "$gw")
  started=$SECONDS
  compose up -d --no-build --no-deps --no-recreate --scale concert=3 concert 2>&1 | tail -n 3
  third=$(container concert_3)
  wait_all_healthy 90
  local healthy_after=$((SECONDS - started))
  token=$(curl -sS -X POST "$gateway/api/v1/queue/tokens" -d '{}' |
          python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
  served=0
  for _ in $(seq 30); do
    for _ in $(seq 20); do
      curl -sS -o /dev/null -H "Authorization: Bearer $token" "$gateway/api/v1/concerts/dates"
    done
    served=$(requests_served "$third")
    ((served > 0)) && break
  done
  ((served > 0)) || { echo "the third concert replica got no request" >&2; return 1; }
  [ "$(podman inspect --format '{{.State.StartedAt}}' "$gw")" = "$started_before" ] &&
    [ "$(podman inspect --format '{{.RestartCount}}' "$gw")" = "$restarts_before" ] ||
    { echo "the gateway was restarted" >&2; return 1; }
  figure "scale-up: a third concert replica healthy $healthy_after s after the scale command, serving through the gateway (not restarted) $((SECONDS - started - healthy_after)) s later"
  compose up -d --no-build --no-deps --no-recreate --scale concert=2 concert 2>&1 | tail -n 3
}

# migrations_applied: how many db_migration_applied lines the services' containers logged.
migrations_applied() {
  local name total=0 count
  for name in $(project_containers); do
    case "$name" in *_gateway_*|*_postgres_*) continue ;; esac
    count=$(podman logs "$name" 2>&1 | grep -c db_migration_applied || true)
    total=$((total + count))
  done
  echo "$total"
}

check_down_up() {
  local files applied recorded started payments
  files=$(ls "$root"/services/{queue,concert,payment}/migrations/*.sql | wc -l)
  applied=$(migrations_applied)
  [ "$applied" = "$files" ] ||
    { echo "replicas that started together applied $applied migrations, expected $files once each" >&2; return 1; }
  compose down --timeout 30 2>&1 | tail -n 2
  started=$SECONDS
  compose up -d --no-build 2>&1 | tail -n 2
  wait_all_healthy
  figure "stack up again on the kept volume in $((SECONDS - started)) s"
  local answer tries
  # A 5xx or no answer right after start is retried for a few seconds; any other answer counts.
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    answer=$(curl -sS -m 5 -w ' %{http_code}' "$gateway/api/v1/users/$journey_user/payments" || true)
    [[ $answer =~ \ (5[0-9][0-9]|000)$ ]] || break
    echo "payments after up: ${answer##* }, again" >&2
    sleep 1
  done
  [[ $answer == *' 200' ]] && payments=$(python3 -c 'import sys, json; print(len(json.loads(sys.argv[1])["payments"]))' "${answer% 200}") ||
    payments="none ($answer)"
  [ "$payments" = 1 ] || { echo "the journey's payment is gone after down and up: $payments" >&2; return 1; }
  applied=$(migrations_applied)
  [ "$applied" = 0 ] || { echo "$applied migrations applied again after up" >&2; return 1; }
  recorded=$(podman exec "$(container postgres_1)" psql -U postgres -d tickets -Atc \
    "SELECT (SELECT count(*) FROM queue.schema_migrations) + (SELECT count(*) FROM concert.schema_migrations)
          + (SELECT count(*) FROM payment.schema_migrations)")
  [ "$recorded" = "$files" ] || { echo "schema_migrations holds $recorded rows, expected $files" >&2; return 1; }
  echo "ok: $files migrations applied once by replicas starting together, none again; the data kept"
}

# Each service's second replica, then the gateway, is stopped with its stop signal (SIGTERM;
# SIGQUIT for nginx) while charges stream through the gateway: the time each takes to exit, and
# the charges that failed while the services' replicas drained (none may).
check_drain() {
  local name grace started took code stream_dir
  stream_dir=$(mktemp -d)
  ( n=0
    while [ ! -e "$stream_dir/stop" ]; do
      n=$((n + 1))
      curl -s -o /dev/null -w '%{http_code}\n' -m 10 -X POST -H "Idempotency-Key: drain-$$-$n" \
        -d '{"amount":1}' "$gateway/api/v1/users/$journey_user/points/charge"
    done >"$stream_dir/codes" ) &
  local stream_pid=$!
  for name in "$(container queue_2)" "$(container concert_2)" "$(container payment_2)" \
              "$(container gateway_1)"; do
    grace=30
    if [[ $name == *_gateway_* ]]; then
      grace=15
      touch "$stream_dir/stop"
      wait "$stream_pid"
      figure "drain: $(grep -c . "$stream_dir/codes") charges streamed while the replicas stopped, $(grep -vc '^200$' "$stream_dir/codes") not 200"
      grep -qv '^200$' "$stream_dir/codes" && { echo "charges failed while replicas drained" >&2; return 1; }
    fi
    started=$(date +%s.%N)
    podman stop --time "$grace" "$name" >/dev/null
    took=$(python3 -c "print(round($(date +%s.%N) - $started, 2))")
    code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
    figure "drain: $name stopped in $took s (grace $grace s), exit code $code"
    python3 -c "import sys; sys.exit(0 if $took < $grace else 1)" ||
      { echo "$name outlived its grace period" >&2; return 1; }
    [ "$code" = 0 ] || { echo "$name exited $code on its stop signal" >&2; return 1; }
  done
  rm -rf "$stream_dir"
}

check_kubernetes() {
  if command -v kubectl >/dev/null 2>&1; then
    kubectl kustomize "$root/deploy/k8s" | python3 "$here/k8s_check.py"
    return
  fi
  # No kubectl in Debian: the image names as the files give them (deploy/validate.sh renders
  # the kustomization itself and checks the rest).
  local named image
  named=$(grep -rh 'image:' "$root/deploy/k8s" | sed -E 's/^ *-? *//; s/"//g')
  for image in ticketing/queue:dev ticketing/concert:dev ticketing/payment:dev \
               ticketing/gateway:dev postgres:15-bookworm; do
    grep -qE "image: *$image\$" <<<"$named" ||
      { echo "deploy/k8s does not run $image" >&2; return 1; }
  done
  echo "ok: deploy/k8s names the images built and tested here"
}

# e2e_binary: the e2e test binary of this checkout: CONTAINERS_E2E_TESTS (ctest passes the one it
# built), else the newer of the release and debug builds, else one built with the release preset.
e2e_binary() {
  local candidate newest=""
  if [ -n "${CONTAINERS_E2E_TESTS:-}" ]; then echo "$CONTAINERS_E2E_TESTS"; return; fi
  for candidate in "$root"/build/{release,debug}/tests/e2e/e2e_tests; do
    [ -x "$candidate" ] && { [ -z "$newest" ] || [ "$candidate" -nt "$newest" ]; } && newest=$candidate
  done
  if [ -z "$newest" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target e2e_tests | tail -1 >&2
    newest=$root/build/release/tests/e2e/e2e_tests
  fi
  echo "$newest"
}

# The end-to-end suite (tests/e2e) pointed at the published gateway, its exchanges checked by
# Prism as always. The test cases that need a system of their own ([own-system]: settings,
# fault points, killed processes, the services' logs) are listed as skipped.
check_e2e() {
  local binary names summary skipped started=$SECONDS
  binary=$(e2e_binary)
  "$root/proto-docs/install-tools.sh"  # Prism, when missing
  # Catch2 exits with the number of test cases it listed.
  names=$("$binary" '[own-system]' --list-test-names-only || true)
  skipped=$(grep -c . <<<"$names" || true)
  echo "skipped here, run by ctest -L e2e on a system of their own: $skipped test cases"
  sed 's/^/  skipped: /' <<<"$names"
  if ! E2E_GATEWAY_URL=$gateway E2E_ADMIN_API_KEY=$ADMIN_API_KEY \
       "$binary" '~[own-system]' --warn NoTests >"$run_dir/e2e.log" 2>&1; then
    tail -n 80 "$run_dir/e2e.log" >&2
    echo "the e2e suite failed against the containers (all of it: $run_dir/e2e.log)" >&2
    return 1
  fi
  summary=$(grep -E '^(All tests passed|test cases:)' "$run_dir/e2e.log" | tail -1)
  figure "e2e against the containers: $summary, $skipped [own-system] skipped, $((SECONDS - started)) s"
}

# header NAME: the value of header NAME in the headers on stdin (the first, without CR).
header() { grep -i "^$1:" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# The web pages through the published port: / and /admin/ with the strict CSP, revalidated; the
# hashed assets they name cached for a year; all gzipped for a client that takes gzip.
check_pages() {
  local page headers asset assets=0 csp
  for page in / /admin/; do
    headers=$(curl -sS -o /dev/null -D - -H 'Accept-Encoding: gzip' "$gateway$page")
    csp=$(header Content-Security-Policy <<<"$headers")
    [[ $headers == "HTTP/1.1 200"* && $(header Content-Type <<<"$headers") == text/html* &&
       $csp == *"script-src 'self'"* && $csp == *"frame-ancestors 'none'"* &&
       $(header Cache-Control <<<"$headers") == no-cache &&
       $(header Content-Encoding <<<"$headers") == gzip ]] ||
      { echo "GET $page through the gateway:"$'\n'"$headers" >&2; return 1; }
    for asset in $(curl -sS --compressed "$gateway$page" | grep -oE '/assets/[A-Za-z0-9_.-]+\.(js|css)' | sort -u); do
      headers=$(curl -sS -o /dev/null -D - -H 'Accept-Encoding: gzip' "$gateway$asset")
      [[ $headers == "HTTP/1.1 200"* &&
         $(header Cache-Control <<<"$headers") == "public, max-age=31536000, immutable" &&
         $(header Content-Encoding <<<"$headers") == gzip ]] ||
        { echo "GET $asset through the gateway:"$'\n'"$headers" >&2; return 1; }
      assets=$((assets + 1))
    done
  done
  ((assets >= 4)) || { echo "the pages name only $assets hashed assets" >&2; return 1; }
  echo "ok: / and /admin/ 200 with the CSP (frame-ancestors 'none'), no-cache; their $assets hashed assets cached for a year, immutable; all gzip"
}
