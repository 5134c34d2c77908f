#!/usr/bin/env bash
# Stops a stack started by deploy/local/up.sh: the services (SIGTERM, graceful), then PostgreSQL.
# Data stays in .local/ for the next start; remove that folder to start afresh.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/deploy/local/stack.sh"

stop_services
"$root/deploy/lib/pg-cluster.sh" stop "$LOCAL_DIR/pg"
echo "stopped"
