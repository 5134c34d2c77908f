#!/bin/bash
# The gateway container's entrypoint: renders nginx.conf with deploy/gateway/render.sh for a
# container network (listen on every address, upstreams by service host name), checks it and
# runs nginx in the foreground as the current (non-root) user. Logs go to stdout/stderr.
# From the environment (render.sh's variables, with container defaults):
#   GATEWAY_PORT (8080), GATEWAY_LISTEN (0.0.0.0), QUEUE_UPSTREAM (queue:8081),
#   CONCERT_UPSTREAM (concert:8082), PAYMENT_UPSTREAM (payment:8083), ISSUE_RATE_LIMIT_PER_IP (10),
#   GATEWAY_RUN_DIR (/var/lib/gateway: pid, temp files, the rendered nginx.conf),
#   GATEWAY_RENDER (/opt/gateway/render.sh), NGINX (/usr/sbin/nginx),
#   GATEWAY_LOG_TO_FILES (0: access and error logs to stdout/stderr; 1: files in the run dir),
#   GATEWAY_RESOLVE_INTERVAL (2 seconds; 0 turns the watch off).
# Replicas: each upstream host name is resolved here to all its addresses (one `server` line
# per replica), and looked up again every GATEWAY_RESOLVE_INTERVAL seconds; when the addresses
# change (a replica added, gone or restarted elsewhere) the configuration is rendered again and
# nginx reloads it gracefully. Debian bookworm's nginx 1.22 resolves upstream names only at
# start (no `resolve` parameter), and a `resolver` with a variable proxy_pass would lose the
# upstream keep-alive pools and the failover settings. A name that does not resolve keeps its
# last addresses. With a Kubernetes Service the name is one stable address, so nothing changes.
# Extra arguments are passed to nginx (e.g. -t to check the configuration only).
set -euo pipefail

export GATEWAY_PORT=${GATEWAY_PORT:-8080}
export GATEWAY_LISTEN=${GATEWAY_LISTEN:-0.0.0.0}
export ISSUE_RATE_LIMIT_PER_IP=${ISSUE_RATE_LIMIT_PER_IP:-10}
upstream_names=(QUEUE_UPSTREAM CONCERT_UPSTREAM PAYMENT_UPSTREAM)
declare -A configured=([QUEUE_UPSTREAM]=${QUEUE_UPSTREAM:-queue:8081}
                       [CONCERT_UPSTREAM]=${CONCERT_UPSTREAM:-concert:8082}
                       [PAYMENT_UPSTREAM]=${PAYMENT_UPSTREAM:-payment:8083})
run_dir=${GATEWAY_RUN_DIR:-/var/lib/gateway}
render=${GATEWAY_RENDER:-/opt/gateway/render.sh}
nginx=${NGINX:-/usr/sbin/nginx}
interval=${GATEWAY_RESOLVE_INTERVAL:-2}
nginx_args=(-e "$run_dir/error.log" -p "$run_dir/" -c "$run_dir/nginx.conf")

# resolved LIST: the comma-separated host:port LIST with every host name replaced by all its
# IPv4 addresses (sorted, so equal sets compare equal); fails when a name resolves to nothing.
resolved() {
  local entry host port address out="" found
  local -a entries
  IFS=, read -r -a entries <<<"$1"
  for entry in "${entries[@]}"; do
    host=${entry%:*} port=${entry##*:} found=0
    while read -r address; do
      out+="${out:+,}$address:$port" found=1
    done < <(getent ahostsv4 "$host" | awk '{ print $1 }' | sort -u)
    ((found)) || return 1
  done
  printf '%s' "$out"
}

# render_config: nginx.conf from the current addresses, checked before it replaces the old one.
render_config() {
  local name
  for name in "${upstream_names[@]}"; do export "$name=${current[$name]}"; done
  "$render" "$run_dir" >"$run_dir/nginx.conf.new"
  "$nginx" -t -q -e "$run_dir/error.log" -p "$run_dir/" -c "$run_dir/nginx.conf.new"
  mv "$run_dir/nginx.conf.new" "$run_dir/nginx.conf"
}

# watch_replicas: re-resolves the upstream names and reloads nginx when an address set changes.
watch_replicas() {
  local name addresses changed
  while sleep "$interval"; do
    changed=0
    for name in "${upstream_names[@]}"; do
      addresses=$(resolved "${configured[$name]}") || continue
      if [ "$addresses" != "${current[$name]}" ]; then
        echo "gateway: $name is now $addresses (was ${current[$name]})" >&2
        current[$name]=$addresses changed=1
      fi
    done
    if ((changed)); then
      render_config && "$nginx" "${nginx_args[@]}" -s reload ||
        echo "gateway: the new upstream addresses were not applied" >&2
    fi
  done
}

mkdir -p "$run_dir/tmp"
# The root filesystem is read-only: render.sh's temporary files go to the run directory.
export TMPDIR=$run_dir/tmp
if [ "${GATEWAY_LOG_TO_FILES:-0}" != 1 ]; then
  # The container's own output: nginx opens these paths like files.
  ln -sf /dev/stdout "$run_dir/access.log"
  ln -sf /dev/stderr "$run_dir/error.log"
fi
declare -A current
for name in "${upstream_names[@]}"; do
  # A name not resolvable yet is left to nginx, which says so and stops.
  current[$name]=$(resolved "${configured[$name]}") || current[$name]=${configured[$name]}
done
render_config
# The watch runs beside nginx, which takes over this process (it gets the stop signal itself);
# the watch ends with the container.
if [ "$interval" != 0 ] && [ $# -eq 0 ]; then watch_replicas & fi
exec "$nginx" "${nginx_args[@]}" "$@"
