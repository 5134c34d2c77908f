#!/usr/bin/env bash
# The containers, run for real with podman (see deploy/README.md, "Containers, run for real"):
# builds every image, starts docker-compose.yml with two replicas of each service through
# podman's Docker-compatible socket, and checks against the published gateway port: the README
# journey, the web pages, the end-to-end suite (tests/e2e), the trust boundary, the operator
# checks (only the gateway is published, a replica of each service killed under traffic, a third
# replica scaled in, down and up keeping the data with the migrations run once, non-root
# read-only containers that drain on SIGTERM). Prints the
# figures it measured. Needs root or sudo; installs what it misses.
#   deploy/containers/test.sh
# From the environment: CONTAINERS_BUILD (prebuilt, the default: the host's release binaries
# copied in; full: compiled in the images), CONTAINERS_GATEWAY_PORT (18080),
# CONTAINERS_KEEP=1 (leave the stack running at the end), CONTAINERS_E2E_TESTS (the e2e test
# binary; default: the newer of build/release's and build/debug's, else built).
set -euo pipefail
# Rootful podman: its networks, published ports and containers.conf are the system's.
if [ "$(id -u)" != 0 ]; then exec sudo --preserve-env "$0" "$@"; fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
source "$here/engine.sh"

export COMPOSE_PROJECT_NAME=ticketingct
export GATEWAY_PORT=${CONTAINERS_GATEWAY_PORT:-18080}
export ADMIN_API_KEY=containers-test-admin-key
export INTERNAL_API_KEY=containers-test-internal-key-0123456789
export COMPOSE_HTTP_TIMEOUT=300
gateway=http://127.0.0.1:$GATEWAY_PORT
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/ticketing-containers.XXXXXX")
figures=$run_dir/figures.txt
compose() { docker-compose -f "$root/docker-compose.yml" "$@"; }
figure() { echo "figure: $*" | tee -a "$figures"; }
step() { echo; echo "== $*"; }
container() { echo "${COMPOSE_PROJECT_NAME}_$1"; }

cleanup() {
  local status=$?
  if [ "${CONTAINERS_KEEP:-0}" != 1 ]; then
    compose down --volumes --timeout 20 >/dev/null 2>&1 || true
  fi
  engine_stop
  ((status == 0)) || echo "containers test FAILED (logs: $run_dir)" >&2
  [ "$status" != 0 ] || rm -rf "$run_dir"
}
trap cleanup EXIT

step "engine"
engine_install
engine_configure
engine_start_api "$run_dir"
engine_start_health_timer "$COMPOSE_PROJECT_NAME"

step "base images"
started=$SECONDS
mode=${CONTAINERS_BUILD:-prebuilt}
if [ "$mode" = prebuilt ]; then "$here/base-images.sh" --run-only; else "$here/base-images.sh"; fi
figure "base images ready in $((SECONDS - started)) s"

step "images ($mode)"
started=$SECONDS
"$here/build-images.sh" "$mode"
figure "images built ($mode) in $((SECONDS - started)) s"
for image in queue concert payment gateway; do
  figure "image ticketing/$image: $(( $(podman image inspect --format '{{.Size}}' "ticketing/$image:dev") / 1000000 )) MB"
done

source "$here/checks.sh"
step "stack up (2 replicas each)"
compose down --volumes --timeout 10 >/dev/null 2>&1 || true
started=$SECONDS
compose up -d --no-build 2>&1 | tail -n 20
wait_all_healthy
figure "stack up and healthy in $((SECONDS - started)) s"

step "README journey"; check_journey
step "the web pages"; check_pages
step "the e2e suite against the containers"; check_e2e
step "only the gateway is published"; check_isolation
step "trust boundary"; check_trust_boundary
step "non-root, read-only"; check_hardening
step "replicas killed under traffic"; check_failover
step "scale a service to 3 replicas"; check_scale_up
step "down and up keep the data"; check_down_up
step "SIGTERM drain"; check_drain
step "Kubernetes manifests name these images"; check_kubernetes

echo
echo "== figures"
cat "$figures"
echo "containers test passed"
