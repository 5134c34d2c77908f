#!/bin/bash
# Container health check without curl: GET PATH (default /healthz) on 127.0.0.1:$PORT over
# bash's /dev/tcp; healthy when the answer's status is 200.
#   healthcheck [PATH] [PORT]
set -u
path=${1:-/healthz}
port=${2:-${PORT:-8080}}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 3 status_line <&3 || exit 1
exec 3<&-
case "$status_line" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "unhealthy: $status_line" >&2; exit 1 ;;
esac
