#!/usr/bin/env bash
# The browser tests (README.md): each *.test.mjs file starts its own stack (a database of its
# own on TICKETING_TEST_PG's cluster, else a cluster of its own; the services; the gateway
# serving services/web/dist) and drives Debian's Chromium through it.
#   tests/browser/run.sh                    every file, one after the other
#   tests/browser/run.sh purchase.test.mjs  one file
# Service binaries: QUEUE_SERVICE_BINARY etc., else those of BROWSER_BUILD_DIR (build/debug).
# Screenshots go to tests/browser/results/; BROWSER_KEEP=1 keeps each stack's work directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install.sh"
cd "$here"
if [ $# -eq 0 ]; then set -- *.test.mjs; fi
# One file at a time (each drives its own stack and Chromium); every file runs, the first
# failure decides the exit status.
status=0
for file in "$@"; do
  node --test "$file" || status=$?
done
exit $status
