# shellcheck shell=bash
# Throwaway PostgreSQL cluster for a benchmark run, on top of deploy/lib/pg-cluster.sh.
# Durable by default: fsync, synchronous_commit and full_page_writes stay as PostgreSQL ships.

# bench_cluster_start REPO_ROOT DATA_DIR PORT: starts the cluster, registers its stop on exit and
# sets BENCH_PG_SOCKET, BENCH_PG_PORT, BENCH_PG_SUPER (superuser conninfo to dbname=postgres)
# and BENCH_PG_AS_SUPER (psql's and pgbench's options for the superuser on that socket).
bench_cluster_start() {
  local root=$1 data=$2 port=$3
  BENCH_PG_CTL="$root/deploy/lib/pg-cluster.sh"
  bench_on_exit "bench_log 'stopping PostgreSQL'; '$BENCH_PG_CTL' stop '$data'"
  BENCH_PG_SUPER=$("$BENCH_PG_CTL" start "$data" "$port") || bench_die "cluster did not start"
  BENCH_PG_SOCKET="$data/socket"
  BENCH_PG_PORT=$port
  BENCH_PG_AS_SUPER=(-h "$BENCH_PG_SOCKET" -p "$BENCH_PG_PORT" -U postgres)
  bench_log "PostgreSQL up on port $port (socket $BENCH_PG_SOCKET)"
}

# bench_psql_run DBNAME [PSQL ARGS...]: psql as the superuser on DBNAME, without notices,
# stopping at the first error.
bench_psql_run() {
  local db=$1; shift
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
    "${BENCH_PG_AS_SUPER[@]}" -d "$db" "$@"
}

# bench_psql DBNAME SQL...: runs SQL as the superuser, unaligned tuples only.
bench_psql() {
  local db=$1; shift
  bench_psql_run "$db" -At -c "$*"
}

# bench_create_database NAME: creates the database (fails if it exists: the cluster is fresh).
bench_create_database() { bench_psql postgres "CREATE DATABASE $1"; }

# bench_durability: one line describing the settings that make commits durable.
bench_durability() {
  bench_psql postgres "SELECT 'fsync=' || current_setting('fsync') ||
    ' synchronous_commit=' || current_setting('synchronous_commit') ||
    ' full_page_writes=' || current_setting('full_page_writes') ||
    ' wal_sync_method=' || current_setting('wal_sync_method')"
}

# bench_durable_cluster ROOT: a fresh cluster in the work directory with the database `tickets`,
# refusing to go on unless commits are durable. Sets DURABILITY.
bench_durable_cluster() {
  bench_cluster_start "$1" "$BENCH_WORKDIR/pgdata" "$(bench_free_port)"
  bench_create_database tickets
  DURABILITY=$(bench_durability)
  bench_log "durability: $DURABILITY"
  case "$DURABILITY" in
    fsync=on\ synchronous_commit=on*) ;;
    *) bench_die "the cluster is not durable ($DURABILITY); the figures would be meaningless" ;;
  esac
}

# bench_checkpoint: a CHECKPOINT before a measured run, so it does not pay for the dirty pages
# of the run or set-up before it. First waits (at most 60 s) for autovacuum workers to finish:
# the tables the previous run filled (a reserve run leaves some 70,000 new reservations) are
# vacuumed on its account, not during the next run. Then an ANALYZE: the planner's statistics
# as autovacuum keeps them in a system that has run for a while. A run of seconds is shorter
# than autovacuum's one-minute nap, and without it a table filled by the set-up (the flow's
# tokens, say) is planned as if it were empty; each change of statistics also makes the
# services' connections plan their prepared statements again.
bench_checkpoint() {
  local waited=0
  while [ "$(bench_psql postgres "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ] &&
        [ "$waited" -lt 120 ]; do
    sleep 0.5
    waited=$((waited + 1))
  done
  [ "$waited" = 0 ] || bench_log "waited $((waited * 500)) ms for autovacuum to finish"
  bench_psql tickets "ANALYZE" >/dev/null
  bench_psql tickets "CHECKPOINT" >/dev/null
}

BENCH_WAITS_PID=""

# bench_waits_start FILE: samples every 0.5 s, in the background, the active sessions of the
# tickets database as "role wait_event_type:wait_event" lines (CPU when not waiting), which shows
# where a run waits. bench_waits_stop ends it and sets TOP_WAITS to the five most frequent.
# One psql session repeats the query (\watch): a psql (and a new server backend) per sample cost
# some 4 % of the machine during the run it samples.
bench_waits_start() {
  local file=$1
  printf '%s \\watch 0.5\n' "SELECT usename || ' ' || coalesce(wait_event_type, 'CPU') || ':' ||
    coalesce(wait_event, '-') FROM pg_stat_activity
    WHERE datname = 'tickets' AND state = 'active' AND pid <> pg_backend_pid()" |
    psql -X -q -At "${BENCH_PG_AS_SUPER[@]}" -d postgres >"$file" 2>/dev/null &
  BENCH_WAITS_PID=$!
  BENCH_WAITS_FILE=$file
}

bench_waits_stop() {
  [ -n "$BENCH_WAITS_PID" ] || return 0
  kill "$BENCH_WAITS_PID" 2>/dev/null || true
  wait "$BENCH_WAITS_PID" 2>/dev/null || true
  BENCH_WAITS_PID=""
  TOP_WAITS=$(sort "$BENCH_WAITS_FILE" | uniq -c | sort -rn | head -5 |
    awk '{ printf "%s%s %s %s", (NR > 1 ? "; " : ""), $1, $2, $3 }')
}
