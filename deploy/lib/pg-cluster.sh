#!/usr/bin/env bash
# Runs a throwaway PostgreSQL 15 cluster as the postgres user (PostgreSQL refuses to run as root).
#   pg-cluster.sh start DATA_DIR PORT   initialises DATA_DIR if needed and starts the server;
#                                      the socket lives in DATA_DIR/socket
#   pg-cluster.sh stop DATA_DIR         stops it (fast shutdown)
# Prints nothing on success but the connection string on start.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
command=${1:?usage: pg-cluster.sh start|stop DATA_DIR [PORT]}
data_dir=$(realpath -m "${2:?data directory required}")

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    port=${3:?port required}
    socket_dir="$data_dir/socket"
    if [ ! -f "$data_dir/PG_VERSION" ]; then
      mkdir -p "$data_dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$data_dir"
      as_postgres "$PG_BIN/initdb" -D "$data_dir" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$data_dir.initdb.log" 2>&1 ||
        { cat "$data_dir.initdb.log" >&2; exit 1; }
      # Listen on loopback only; the socket directory is private to this cluster.
      cat >>"$data_dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket_dir'
max_connections = 300
shared_buffers = 256MB
shared_preload_libraries = 'pg_stat_statements'
CONF
      # Password authentication over TCP for service roles, trust for the local superuser socket.
      cat >"$data_dir/pg_hba.conf" <<CONF
local all postgres trust
local all all scram-sha-256
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
CONF
    fi
    mkdir -p "$socket_dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$socket_dir"
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
      as_postgres "$PG_BIN/pg_ctl" -D "$data_dir" -o "-p $port" -l "$data_dir/server.log" -w \
        -t 60 start >/dev/null || { tail -20 "$data_dir/server.log" >&2; exit 1; }
    fi
    echo "host=$socket_dir port=$port user=postgres dbname=postgres"
    ;;
  stop)
    if [ -f "$data_dir/PG_VERSION" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop DATA_DIR [PORT]" >&2
    exit 2
    ;;
esac
