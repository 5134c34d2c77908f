#!/usr/bin/env bash
# Writes the gateway's nginx.conf from deploy/gateway/nginx.conf.template (nginx reads no
# environment variables, so the configuration is rendered at start).
#   deploy/gateway/render.sh RUN_DIR > nginx.conf
# RUN_DIR holds the pid file, error and access logs and temp files. From the environment:
#   GATEWAY_PORT (8080), GATEWAY_LISTEN (127.0.0.1), QUEUE_UPSTREAM (127.0.0.1:8081),
#   CONCERT_UPSTREAM (127.0.0.1:8082), PAYMENT_UPSTREAM (127.0.0.1:8083),
#   ISSUE_RATE_LIMIT_PER_IP (10 token issues per second per client address, bursts of 5x;
#   0 turns the brake off), INTERNAL_API_KEY (required: the key the services check, at least 16
#   letters, digits or . _ ~ + / = -; the rendered file holds it, so keep it private).
# WEB_ROOT (empty: no pages) is the built services/web/dist: the gateway then serves / and
# /admin/ and their assets from it (deploy/gateway/web.conf.template).
# Each *_UPSTREAM is one host:port or a comma-separated list of them (replicas, e.g.
# QUEUE_UPSTREAM=127.0.0.1:8081,127.0.0.1:9081): one `server` line each in the service's
# upstream block. A single address renders `server host:port;` as it always has; with several,
# each line gets max_fails=1 fail_timeout=2s, so a replica that refused or dropped a request is
# left out for 2 s while the request goes on to the next one (proxy_next_upstream).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: deploy/gateway/render.sh RUN_DIR > nginx.conf" >&2
  exit 2
fi
run_dir=$1
here=$(cd "$(dirname "$0")" && pwd)

port=${GATEWAY_PORT:-8080}
listen=${GATEWAY_LISTEN:-127.0.0.1}
queue=${QUEUE_UPSTREAM:-127.0.0.1:8081}
concert=${CONCERT_UPSTREAM:-127.0.0.1:8082}
payment=${PAYMENT_UPSTREAM:-127.0.0.1:8083}
rate=${ISSUE_RATE_LIMIT_PER_IP:-10}
web_root=${WEB_ROOT:-}
internal_key=${INTERNAL_API_KEY:-}

fail() { echo "render.sh: $*" >&2; exit 1; }
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) || fail "GATEWAY_PORT must be a port number, got '$port'"
[[ $rate =~ ^[0-9]+$ ]] && ((rate <= 1000000)) || fail "ISSUE_RATE_LIMIT_PER_IP must be a whole number >= 0, got '$rate'"
# The same rule as the services' (never echoed): safe inside a quoted nginx string and sed.
[[ $internal_key =~ ^[A-Za-z0-9._~+/=-]{16,}$ ]] ||
  fail "INTERNAL_API_KEY must be set to at least 16 letters, digits or . _ ~ + / = - (the services' key)"
safe='^[][A-Za-z0-9._:/-]+$'
for address in "$listen" "$run_dir"; do
  # Guard the substitution: no characters that could end a directive or the sed expression.
  [[ $address =~ $safe ]] || fail "unexpected characters in '$address'"
done

# server_lines NAME LIST: the upstream block's `server` lines for a comma-separated LIST, as one
# sed replacement (lines joined by an escaped newline).
server_lines() {
  local name=$1 list=$2 address lines="" params="" newline='\n'
  local -a addresses
  IFS=, read -r -a addresses <<<"$list"
  [[ $list != *, && ${#addresses[@]} -gt 0 ]] || fail "$name must list host:port addresses, got '$list'"
  # One replica is never left out (nginx ignores max_fails then); several share the load.
  if ((${#addresses[@]} > 1)); then params=" max_fails=1 fail_timeout=2s"; fi
  for address in "${addresses[@]}"; do
    [[ $address =~ $safe ]] || fail "unexpected characters in $name entry '$address'"
    lines+="${lines:+$newline    }server $address$params;"
  done
  printf '%s' "$lines"
}
queue=$(server_lines QUEUE_UPSTREAM "$queue")
concert=$(server_lines CONCERT_UPSTREAM "$concert")
payment=$(server_lines PAYMENT_UPSTREAM "$payment")

rate=$((10#$rate))
if ((rate > 0)); then
  zone="  limit_req_zone \$issue_limit_key zone=token_issue:10m rate=${rate}r/s;"
  req="      limit_req zone=token_issue burst=$((rate * 5)) nodelay;"
else
  zone="  # token issue brake off (ISSUE_RATE_LIMIT_PER_IP=0)"
  req="      # token issue brake off (ISSUE_RATE_LIMIT_PER_IP=0)"
fi

# The pages' locations, rendered apart and read in at @WEB_PAGES@ (nothing when WEB_ROOT is empty).
web_pages=$(mktemp)
trap 'rm -f "$web_pages"' EXIT
if [ -n "$web_root" ]; then
  [[ $web_root =~ $safe ]] || fail "unexpected characters in WEB_ROOT '$web_root'"
  [ -f "$web_root/index.html" ] && [ -f "$web_root/admin/index.html" ] ||
    fail "WEB_ROOT '$web_root' holds no built pages (cd services/web && npm ci && npm run build)"
  sed -e "s|@WEB_ROOT@|$web_root|g" "$here/web.conf.template" >"$web_pages"
fi

sed -e "s|@RUN_DIR@|$run_dir|g" \
    -e "s|@GATEWAY_PORT@|$port|g" \
    -e "s|@GATEWAY_LISTEN@|$listen|g" \
    -e "s|@INTERNAL_API_KEY@|$internal_key|g" \
    -e "s|@QUEUE_SERVERS@|$queue|" \
    -e "s|@CONCERT_SERVERS@|$concert|" \
    -e "s|@PAYMENT_SERVERS@|$payment|" \
    -e "s|^@RATE_LIMIT_ZONE@\$|$zone|" \
    -e "s|^@RATE_LIMIT_REQ@\$|$req|" \
    -e "/^@WEB_PAGES@\$/{r $web_pages" -e "d}" \
    "$here/nginx.conf.template"
