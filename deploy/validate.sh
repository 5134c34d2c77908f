#!/usr/bin/env bash
# Validates the container and Kubernetes descriptions without a Docker engine or a cluster:
#   - docker-compose.yml: `docker compose config` (or Debian's docker-compose 1.29, installed when
#     missing), then its shape: only the gateway publishes a port, health checks everywhere,
#     start order on service_healthy, the Dockerfiles it builds exist;
#   - the Dockerfiles: multi-stage bookworm -> bookworm-slim, a non-root USER, EXPOSE, HEALTHCHECK;
#   - the gateway entrypoint: renders deploy/gateway/nginx.conf.template and `nginx -t` accepts it
#     (with local upstream addresses: the container host names do not resolve here); the
#     rendered gateway sets X-Internal-Key, and render.sh refuses a missing or unusable key;
#   - the trust boundary (deploy/validate_trust_boundary.py): one INTERNAL_API_KEY for the
#     services and the gateway, compose networks, Kubernetes NetworkPolicies;
#   - deploy/k8s: the kustomization rendered (by the check, and by `kubectl kustomize` when
#     kubectl is installed: both must agree); every object has apiVersion, kind, metadata.name and
#     the ticketing namespace; Deployments have readiness and liveness probes, resources, a
#     non-root user and selectors that match; Services select pods and name ports that exist;
#     referenced ConfigMaps/Secrets and their keys exist; only the gateway Service is reachable
#     from outside.
# The checks themselves are in deploy/validate_manifests.py (PyYAML: python3-yaml, installed
# when missing).
#   deploy/validate.sh        exits non-zero on the first failing check
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "installing: $*" >&2
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

echo "== docker-compose.yml: compose config"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose
  compose=(docker-compose)
fi
echo "using: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo '?'))"
"${compose[@]}" -f docker-compose.yml config -q
resolved=$(mktemp)
gateway_run=$(mktemp -d)
trap 'rm -rf "$resolved" "$resolved.k8s" "$gateway_run"' EXIT
"${compose[@]}" -f docker-compose.yml config >"$resolved"

python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml

python3 deploy/validate_manifests.py compose "$resolved"

echo "== Dockerfiles"
python3 deploy/validate_manifests.py dockerfiles deploy/docker/service.Dockerfile deploy/docker/gateway.Dockerfile
for pattern in build/ .local/ node_modules/; do
  grep -q "$pattern" .dockerignore || { echo ".dockerignore does not exclude $pattern" >&2; exit 1; }
done
echo "ok: .dockerignore"

echo "== gateway entrypoint"
bash -n deploy/docker/gateway-entrypoint.sh
bash -n deploy/docker/healthcheck.sh
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  GATEWAY_RUN_DIR="$gateway_run" GATEWAY_RENDER="$root/deploy/gateway/render.sh" \
  INTERNAL_API_KEY=validate-internal-key-0123456789 \
  QUEUE_UPSTREAM=127.0.0.1:8081 CONCERT_UPSTREAM=127.0.0.1:8082 PAYMENT_UPSTREAM=127.0.0.1:8083 \
    deploy/docker/gateway-entrypoint.sh -t -q
  grep -q "listen 0.0.0.0:8080 " "$gateway_run/nginx.conf" ||
    { echo "the container gateway does not listen on 0.0.0.0:8080" >&2; exit 1; }
  # The container host names pass render.sh's checks too.
  # The trust boundary: the key on every proxied request and on the token check, and no
  # configuration at all without a usable key.
  [ "$(grep -c 'proxy_set_header X-Internal-Key "validate-internal-key-0123456789";' "$gateway_run/nginx.conf")" = 2 ] ||
    { echo "the gateway does not set X-Internal-Key on proxied requests and the token check" >&2; exit 1; }
  for key in "" only-15-chars-x "has space in it 0123"; do
    if INTERNAL_API_KEY=$key deploy/gateway/render.sh /var/lib/gateway >/dev/null 2>&1; then
      echo "render.sh accepted INTERNAL_API_KEY='$key'" >&2; exit 1
    fi
  done
  rendered=$(INTERNAL_API_KEY=validate-internal-key-0123456789 GATEWAY_LISTEN=0.0.0.0 QUEUE_UPSTREAM=queue:8081 CONCERT_UPSTREAM=concert:8082 \
             PAYMENT_UPSTREAM=payment:8083 deploy/gateway/render.sh /var/lib/gateway)
  grep -q "server queue:8081;" <<<"$rendered" ||
    { echo "render.sh does not take the container upstream host names" >&2; exit 1; }
  echo "ok: rendered and nginx -t passed"
else
  echo "skipped nginx -t: nginx is not installed (deploy/lib/install-deps.sh installs it)"
fi

echo "== deploy/k8s manifests"
# Rendered by the check itself; by kubectl too when it is installed, and the two must agree.
if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize deploy/k8s >"$resolved.k8s"
  python3 deploy/validate_manifests.py k8s deploy/k8s "$resolved.k8s"
else
  echo "kubectl is not installed: the manifests are rendered by the check alone"
  python3 deploy/validate_manifests.py k8s deploy/k8s
fi
echo "== all checks passed"
