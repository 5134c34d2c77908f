#!/usr/bin/env bash
# Builds the four images of docker-compose.yml with podman from deploy/docker/*.Dockerfile,
# under the names the compose file gives them (ticketing/<name>:$TICKETING_TAG, default dev).
#   deploy/containers/build-images.sh [full|prebuilt]
# full (the default): each service is compiled in the Dockerfile's build stage (the three
#   service images share that stage's layers, so the code is compiled once).
# prebuilt: the release binaries built on this host are copied in (service.Dockerfile's
#   BINARY=prebuilt); they are built first with the release preset when missing or stale.
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
build gateway -f deploy/docker/gateway.Dockerfile
