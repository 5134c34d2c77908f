#!/bin/bash
# The gateway container's entrypoint: renders nginx.conf with deploy/gateway/render.sh for a
# container network (listen on every address, upstreams by service host name), checks it and
# runs nginx in the foreground as the current (non-root) user. Logs go to stdout/stderr.
# From the environment (render.sh's variables, with container defaults):
#   GATEWAY_PORT (8080), GATEWAY_LISTEN (0.0.0.0), QUEUE_UPSTREAM (queue:8081),
#   CONCERT_UPSTREAM (concert:8082), PAYMENT_UPSTREAM (payment:8083), ISSUE_RATE_LIMIT_PER_IP (10),
#   GATEWAY_RUN_DIR (/var/lib/gateway: pid, temp files, the rendered nginx.conf),
#   GATEWAY_RENDER (/opt/gateway/render.sh), NGINX (/usr/sbin/nginx),
#   GATEWAY_LOG_TO_FILES (0: access and error logs to stdout/stderr; 1: files in the run dir).
# nginx resolves the upstream host names once, at start: with several replicas behind one
# compose service name, restart the gateway after scaling (Kubernetes Services keep one IP).
# Extra arguments are passed to nginx (e.g. -t to check the configuration only).
set -euo pipefail

export GATEWAY_PORT=${GATEWAY_PORT:-8080}
export GATEWAY_LISTEN=${GATEWAY_LISTEN:-0.0.0.0}
export QUEUE_UPSTREAM=${QUEUE_UPSTREAM:-queue:8081}
export CONCERT_UPSTREAM=${CONCERT_UPSTREAM:-concert:8082}
export PAYMENT_UPSTREAM=${PAYMENT_UPSTREAM:-payment:8083}
export ISSUE_RATE_LIMIT_PER_IP=${ISSUE_RATE_LIMIT_PER_IP:-10}
run_dir=${GATEWAY_RUN_DIR:-/var/lib/gateway}
render=${GATEWAY_RENDER:-/opt/gateway/render.sh}
nginx=${NGINX:-/usr/sbin/nginx}

mkdir -p "$run_dir/tmp"
if [ "${GATEWAY_LOG_TO_FILES:-0}" != 1 ]; then
  # The container's own output: nginx opens these paths like files.
  ln -sf /dev/stdout "$run_dir/access.log"
  ln -sf /dev/stderr "$run_dir/error.log"
fi
"$render" "$run_dir" >"$run_dir/nginx.conf.new"
mv "$run_dir/nginx.conf.new" "$run_dir/nginx.conf"
"$nginx" -t -q -e "$run_dir/error.log" -p "$run_dir/" -c "$run_dir/nginx.conf"
exec "$nginx" -e "$run_dir/error.log" -p "$run_dir/" -c "$run_dir/nginx.conf" "$@"
