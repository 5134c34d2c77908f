#!/usr/bin/env bash
# Builds the four images of docker-compose.yml with podman from deploy/docker/*.Dockerfile,
# under the names the compose file gives them (ticketing/<name>:$TICKETING_TAG, default dev).
#   deploy/containers/build-images.sh [full|prebuilt]
# full (the default): each service is compiled in the Dockerfile's build stage (the three
#   service images share that stage's layers, so the code is compiled once).
# prebuilt: the release binaries built on this host are copied in (service.Dockerfile's
#   BINARY=prebuilt); they are built first with the release preset when missing or stale.
# The pages (services/web) in the gateway image: CONTAINERS_PAGES=prebuilt (the default) builds
#   them on the host (services/web/build.sh, Node.js and npm) and copies services/web/dist in;
#   build compiles them in gateway.Dockerfile's pages stage, which needs the npm registry over
#   TLS from inside a build (not on this machine: its egress proxy's certificate authority is
#   the host's only, so `npm ci` in the stage fails with SELF_SIGNED_CERT_IN_CHAIN).
# Prints one line per image with its build time; the base images must exist (base-images.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-full}
tag=${TICKETING_TAG:-dev}
cd "$root"

case "$mode" in
  full) binary=build ;;
  prebuilt)
    binary=prebuilt
    started=$SECONDS
    cmake --preset release >/dev/null
    cmake --build --preset release --target queue-service concert-service payment-service | tail -1
    echo "release binaries: $((SECONDS - started)) s"
    ;;
  *) echo "usage: $0 [full|prebuilt]" >&2; exit 2 ;;
esac

pages=${CONTAINERS_PAGES:-prebuilt}
case "$pages" in
  build) ;;
  prebuilt)
    command -v npm >/dev/null ||
      { echo "the pages need Node.js and npm on the host (tests/browser/install.sh)" >&2; exit 1; }
    started=$SECONDS
    services/web/build.sh
    echo "web pages (services/web/dist): $((SECONDS - started)) s"
    ;;
  *) echo "CONTAINERS_PAGES must be build or prebuilt, got '$pages'" >&2; exit 2 ;;
esac

# --format docker keeps HEALTHCHECK in the image (the OCI format has no such field).
build() {
  local name=$1 started=$SECONDS; shift
  podman build --quiet --format docker -t "ticketing/$name:$tag" "$@" . >/dev/null
  echo "image ticketing/$name:$tag: $((SECONDS - started)) s"
}
build queue -f deploy/docker/service.Dockerfile --build-arg SERVICE=queue --build-arg PORT=8081 \
  --build-arg BINARY="$binary"
build concert -f deploy/docker/service.Dockerfile --build-arg SERVICE=concert \
  --build-arg PORT=8082 --build-arg BINARY="$binary"
build payment -f deploy/docker/service.Dockerfile --build-arg SERVICE=payment \
  --build-arg PORT=8083 --build-arg BINARY="$binary"
build gateway -f deploy/docker/gateway.Dockerfile --build-arg PAGES="$pages"
