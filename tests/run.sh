#!/usr/bin/env bash
# Builds the project and runs every test through ctest against a throwaway PostgreSQL cluster
# that it starts (as the postgres user, on a private port and socket directory) and stops.
#   tests/run.sh                 all tests, debug build with AddressSanitizer and UBSan
#   PRESET=release tests/run.sh  the same on an optimised build
#   tests/run.sh -L unit         extra arguments go to ctest (here: only the unit label)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
preset=${PRESET:-debug}
cd "$root"

"$root/deploy/lib/install-deps.sh"
"$root/proto-docs/install-tools.sh"
# The browser tests' chromium and npm packages, and the built pages (only what is missing).
"$root/tests/browser/install.sh"

echo "== build ($preset)"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

pg_dir=$(mktemp -d /tmp/ticketing-test-pg.XXXXXX)
pg_port=${TEST_PG_PORT:-$((20000 + RANDOM % 20000))}
cleanup() {
  "$root/deploy/lib/pg-cluster.sh" stop "$pg_dir/data" || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
chmod 755 "$pg_dir"
echo "== PostgreSQL on port $pg_port"
export TICKETING_TEST_PG
TICKETING_TEST_PG=$("$root/deploy/lib/pg-cluster.sh" start "$pg_dir/data" "$pg_port")

echo "== tests"
# Sanitizer reports fail the run; leak checks stay on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --preset "$preset" --parallel "${TEST_PARALLEL:-2}" "$@"
