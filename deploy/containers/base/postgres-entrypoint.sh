#!/bin/bash
# Entrypoint of the locally made postgres:15-bookworm image (postgres.Dockerfile): as root it
# takes ownership of the data directory and runs itself again as user postgres; on an empty
# data directory it creates the cluster, the superuser POSTGRES_USER with POSTGRES_PASSWORD and
# the database POSTGRES_DB, runs /docker-entrypoint-initdb.d/*.sql and *.sh once; then it
# becomes the server (or runs whatever command was given).
set -euo pipefail

# `docker run postgres:15-bookworm -c setting=value` means postgres with those options.
if [ "${1:0:1}" = - ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

initialise() {
  local user=${POSTGRES_USER:-postgres} auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  local database=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "postgres: POSTGRES_PASSWORD is not set; set it (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  echo "postgres: creating the cluster in $PGDATA"
  # The password goes through a pipe, never the command line.
  initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
    --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host="$auth" -D "$PGDATA" >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"

  # A server on the socket only while the database and the init scripts are made.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  local psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user")
  if [ "$database" != postgres ]; then
    "${psql[@]}" --dbname postgres --set name="$database" -q <<<'CREATE DATABASE :"name";'
  fi
  local script
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sql) echo "postgres: running $script"; "${psql[@]}" --dbname "$database" -f "$script" ;;
      *.sh) echo "postgres: running $script"; . "$script" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres: cluster ready"
}

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  shopt -s nullglob
  initialise
  shopt -u nullglob
fi
exec "$@"
