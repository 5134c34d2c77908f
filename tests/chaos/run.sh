#!/usr/bin/env bash
# Chaos under load (issue 17): the whole system with two replicas of every service behind the
# real gateway, on a PostgreSQL cluster of its own, visitors doing the journey while replicas are
# killed and paused and PostgreSQL crashes; then the invariants. See tests/chaos/README.md.
#   tests/chaos/run.sh                     about 60 s of faults (CHAOS_SECONDS), ~3 minutes in all
#   CHAOS_SECONDS=600 tests/chaos/run.sh   the long run
# Binaries: QUEUE_SERVICE_BINARY, CONCERT_SERVICE_BINARY, PAYMENT_SERVICE_BINARY, else those of
# CHAOS_BUILD_DIR (default build/debug). Exits non-zero when an invariant is violated; the work
# directory (logs, history.jsonl, PostgreSQL's data) is then kept and its path printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/ticketing-chaos.XXXXXX")
# The postgres user must reach its data directory inside.
chmod 755 "$work"

cleanup() {
  # The harness stops everything itself; this is for when it could not (killed, crashed).
  if [ -f "$work/pids" ]; then
    while read -r pid; do
      # Only a process of this run: its command line or environment names the work directory.
      if grep -qsF "$work" "/proc/$pid/cmdline" "/proc/$pid/environ"; then
        kill -CONT "$pid" 2>/dev/null || true
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$work/pids"
  fi
  "$root/deploy/lib/pg-cluster.sh" stop "$work/pg" 2>/dev/null || true
  if [ -f "$work/keep" ]; then
    echo "chaos: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 -u -B "$here/harness/main.py" --root "$root" --work "$work"
