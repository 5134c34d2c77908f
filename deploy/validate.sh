#!/usr/bin/env bash
# Validates the container and Kubernetes descriptions without a Docker engine or a cluster:
#   - docker-compose.yml: `docker compose config` (or Debian's docker-compose 1.29, installed when
#     missing), then its shape: only the gateway publishes a port, health checks everywhere,
#     start order on service_healthy, the Dockerfiles it builds exist;
#   - the Dockerfiles: multi-stage bookworm -> bookworm-slim, a non-root USER, EXPOSE, HEALTHCHECK;
#   - the gateway entrypoint: renders deploy/gateway/nginx.conf.template and `nginx -t` accepts it
#     (with local upstream addresses: the container host names do not resolve here);
#   - deploy/k8s/*.yaml: parsed with PyYAML (python3-yaml, installed when missing); every object
#     has apiVersion, kind, metadata.name and the ticketing namespace; Deployments have readiness
#     and liveness probes, resources, a non-root user and selectors that match; Services select
#     pods and name ports that exist; referenced ConfigMaps/Secrets and their keys exist; only the
#     gateway Service is reachable from outside; `kubectl kustomize` renders the set when kubectl
#     is installed.
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
trap 'rm -rf "$resolved" "$gateway_run"' EXIT
"${compose[@]}" -f docker-compose.yml config >"$resolved"

python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml

python3 - "$resolved" <<'EOF'
import os, sys, yaml

compose = yaml.safe_load(open(sys.argv[1]))
services = compose["services"]
errors = []
expected = {"postgres", "queue", "concert", "payment", "gateway"}
if set(services) != expected:
    errors.append(f"services are {sorted(services)}, expected {sorted(expected)}")
for name, svc in services.items():
    if svc.get("ports") and name != "gateway":
        errors.append(f"{name}: publishes ports {svc['ports']}; only the gateway may")
    if "healthcheck" not in svc or not svc["healthcheck"].get("test"):
        errors.append(f"{name}: no healthcheck")
if not services.get("gateway", {}).get("ports"):
    errors.append("gateway: publishes no port")

def healthy_deps(name):
    deps = services.get(name, {}).get("depends_on", {})
    return {d for d, c in deps.items() if isinstance(c, dict) and c.get("condition") == "service_healthy"}

for name, port in (("queue", "8081"), ("concert", "8082"), ("payment", "8083")):
    svc = services.get(name, {})
    if "postgres" not in healthy_deps(name):
        errors.append(f"{name}: does not wait for postgres to be healthy")
    env = svc.get("environment", {})
    for var in ("DATABASE_URL", "DATABASE_ADMIN_URL", "PORT"):
        if not env.get(var):
            errors.append(f"{name}: {var} is not set")
    if env.get("PORT") != port:
        errors.append(f"{name}: PORT is {env.get('PORT')}, expected {port}")
    if f"user={name}_svc " not in env.get("DATABASE_URL", "") + " ":
        errors.append(f"{name}: DATABASE_URL does not use the {name}_svc role")
    if "host=postgres" not in env.get("DATABASE_ADMIN_URL", ""):
        errors.append(f"{name}: DATABASE_ADMIN_URL does not point at postgres")
    build = svc.get("build", {})
    if build.get("args", {}).get("SERVICE") != name:
        errors.append(f"{name}: build arg SERVICE is not {name}")
    if build.get("args", {}).get("PORT") != port:
        errors.append(f"{name}: build arg PORT is not {port}")
pay_env = services.get("payment", {}).get("environment", {})
if pay_env.get("QUEUE_URL") != "http://queue:8081" or pay_env.get("CONCERT_URL") != "http://concert:8082":
    errors.append("payment: QUEUE_URL/CONCERT_URL do not point at the queue and concert services")
if not {"queue", "concert", "payment"} <= healthy_deps("gateway"):
    errors.append("gateway: does not wait for the three services to be healthy")
gw_env = services.get("gateway", {}).get("environment", {})
for var, value in (("QUEUE_UPSTREAM", "queue:8081"), ("CONCERT_UPSTREAM", "concert:8082"),
                   ("PAYMENT_UPSTREAM", "payment:8083")):
    if gw_env.get(var) != value:
        errors.append(f"gateway: {var} is {gw_env.get(var)}, expected {value}")
for name, svc in services.items():
    build = svc.get("build")
    if build:
        dockerfile = os.path.join(build.get("context", "."), build.get("dockerfile", "Dockerfile"))
        if not os.path.isfile(dockerfile):
            errors.append(f"{name}: Dockerfile {dockerfile} does not exist")
if errors:
    print("\n".join("docker-compose.yml: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(services)} services; only the gateway publishes a port; health checks and start order")
EOF

echo "== Dockerfiles"
python3 - deploy/docker/service.Dockerfile deploy/docker/gateway.Dockerfile <<'EOF'
import os, re, sys

errors = []
for path in sys.argv[1:]:
    lines, current = [], ""
    for raw in open(path):
        line = raw.rstrip("\n")
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if len(l.split(None, 1)) > 1 else "")
                    for l in lines]
    known = {"FROM", "ARG", "RUN", "COPY", "ADD", "ENV", "USER", "EXPOSE", "HEALTHCHECK", "WORKDIR",
             "ENTRYPOINT", "CMD", "LABEL", "STOPSIGNAL", "VOLUME", "SHELL", "ONBUILD"}
    for ins, _ in instructions:
        if ins not in known:
            errors.append(f"{path}: unknown instruction {ins}")
    froms = [a for i, a in instructions if i == "FROM"]
    if not froms:
        errors.append(f"{path}: no FROM")
        continue
    final = froms[-1].split()[0]
    if final != "debian:bookworm-slim":
        errors.append(f"{path}: runs on {final}, expected debian:bookworm-slim")
    if "service" in os.path.basename(path):
        if len(froms) < 2 or froms[0].split()[0] != "debian:bookworm":
            errors.append(f"{path}: expected a multi-stage build starting FROM debian:bookworm")
    last_from = max(n for n, (i, _) in enumerate(instructions) if i == "FROM")
    final_stage = instructions[last_from:]
    users = [a.strip() for i, a in final_stage if i == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        errors.append(f"{path}: the final stage does not switch to a non-root USER")
    for required in ("EXPOSE", "HEALTHCHECK", "ENTRYPOINT"):
        if not any(i == required for i, _ in final_stage):
            errors.append(f"{path}: the final stage has no {required}")
    for i, a in instructions:
        if i in ("COPY", "ADD") and "--from" not in a:
            for src in a.split()[:-1]:
                if not src.startswith("--") and not os.path.exists(src):
                    errors.append(f"{path}: {i} source {src} does not exist")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("ok: " + ", ".join(sys.argv[1:]))
EOF
for pattern in build/ .local/ node_modules/; do
  grep -q "$pattern" .dockerignore || { echo ".dockerignore does not exclude $pattern" >&2; exit 1; }
done
echo "ok: .dockerignore"

echo "== gateway entrypoint"
bash -n deploy/docker/gateway-entrypoint.sh
bash -n deploy/docker/healthcheck.sh
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  GATEWAY_RUN_DIR="$gateway_run" GATEWAY_RENDER="$root/deploy/gateway/render.sh" \
  QUEUE_UPSTREAM=127.0.0.1:8081 CONCERT_UPSTREAM=127.0.0.1:8082 PAYMENT_UPSTREAM=127.0.0.1:8083 \
    deploy/docker/gateway-entrypoint.sh -t -q
  grep -q "listen 0.0.0.0:8080 " "$gateway_run/nginx.conf" ||
    { echo "the container gateway does not listen on 0.0.0.0:8080" >&2; exit 1; }
  # The container host names pass render.sh's checks too.
  rendered=$(GATEWAY_LISTEN=0.0.0.0 QUEUE_UPSTREAM=queue:8081 CONCERT_UPSTREAM=concert:8082 \
             PAYMENT_UPSTREAM=payment:8083 deploy/gateway/render.sh /var/lib/gateway)
  grep -q "server queue:8081;" <<<"$rendered" ||
    { echo "render.sh does not take the container upstream host names" >&2; exit 1; }
  echo "ok: rendered and nginx -t passed"
else
  echo "skipped nginx -t: nginx is not installed (deploy/lib/install-deps.sh installs it)"
fi

echo "== deploy/k8s manifests"
python3 - deploy/k8s <<'EOF'
import glob, os, sys, yaml

directory = sys.argv[1]
errors, objects = [], []
files = sorted(f for f in glob.glob(os.path.join(directory, "*.yaml")) if not f.endswith("kustomization.yaml"))
for path in files:
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    except yaml.YAMLError as e:
        errors.append(f"{path}: {e}")
        continue
    for doc in docs:
        where = f"{path}: {doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        for field in ("apiVersion", "kind"):
            if not doc.get(field):
                errors.append(f"{where}: no {field}")
        if not (doc.get("metadata") or {}).get("name"):
            errors.append(f"{where}: no metadata.name")
        if doc.get("kind") != "Namespace" and doc.get("metadata", {}).get("namespace") != "ticketing":
            errors.append(f"{where}: not in the ticketing namespace")
        objects.append((path, doc))

kustomization = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml")))
listed = set(kustomization.get("resources", []))
for path in files:
    if os.path.basename(path) not in listed:
        errors.append(f"kustomization.yaml does not list {os.path.basename(path)}")

def find(kind, name):
    return next((d for _, d in objects if d["kind"] == kind and d["metadata"]["name"] == name), None)

def keys_of(obj):
    return set((obj.get("data") or {}).keys()) | set((obj.get("stringData") or {}).keys())

workloads = [(p, d) for p, d in objects if d["kind"] in ("Deployment", "StatefulSet")]
deployments = {d["metadata"]["name"]: d for _, d in objects if d["kind"] == "Deployment"}
for name in ("queue", "concert", "payment", "gateway"):
    if name not in deployments:
        errors.append(f"no Deployment {name}")
    if not find("Service", name):
        errors.append(f"no Service {name}")
if not find("StatefulSet", "postgres") or not find("Service", "postgres"):
    errors.append("no PostgreSQL StatefulSet and Service")

for path, w in workloads:
    where = f"{path}: {w['kind']}/{w['metadata']['name']}"
    spec = w["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"].get("labels", {})
    selector = spec.get("selector", {}).get("matchLabels", {})
    if not selector or any(labels.get(k) != v for k, v in selector.items()):
        errors.append(f"{where}: selector {selector} does not match the pod labels {labels}")
    if w["kind"] == "Deployment":
        if spec.get("replicas", 1) < 2:
            errors.append(f"{where}: fewer than 2 replicas")
        if not (pod.get("securityContext") or {}).get("runAsNonRoot"):
            errors.append(f"{where}: pods do not run as non-root")
    for c in pod["containers"]:
        cw = f"{where} container {c['name']}"
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in c:
                errors.append(f"{cw}: no {probe}")
        if w["kind"] == "Deployment" and w["metadata"]["name"] != "gateway":
            if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
                errors.append(f"{cw}: readiness probe is not GET /readyz")
            if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
                errors.append(f"{cw}: liveness probe is not GET /healthz")
        res = c.get("resources", {})
        if not res.get("requests") or not res.get("limits"):
            errors.append(f"{cw}: no resource requests and limits")
        if pod.get("hostNetwork") or any(p.get("hostPort") for p in c.get("ports", [])):
            errors.append(f"{cw}: host network or host port; only the gateway Service is exposed")
        port_names = {p.get("name") for p in c.get("ports", [])}
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            port = c.get(probe, {}).get("httpGet", {}).get("port")
            if isinstance(port, str) and port not in port_names:
                errors.append(f"{cw}: {probe} names port {port}, which the container does not have")
        for source in c.get("envFrom", []):
            for kind, ref in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if ref in source and not find(kind, source[ref]["name"]):
                    errors.append(f"{cw}: envFrom {kind} {source[ref]['name']} does not exist")
        for var in c.get("env", []):
            value_from = var.get("valueFrom", {})
            for kind, ref in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                if ref in value_from:
                    obj = find(kind, value_from[ref]["name"])
                    if obj is None or value_from[ref]["key"] not in keys_of(obj):
                        errors.append(f"{cw}: {var['name']} refers to missing {kind} key "
                                      f"{value_from[ref]['name']}/{value_from[ref]['key']}")
        mounts = {m["name"] for m in c.get("volumeMounts", [])}
        volumes = {v["name"] for v in pod.get("volumes", [])} | \
                  {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
        for m in mounts - volumes:
            errors.append(f"{cw}: mounts volume {m}, which the pod does not have")

for path, s in ((p, d) for p, d in objects if d["kind"] == "Service"):
    where = f"{path}: Service/{s['metadata']['name']}"
    kind = s["spec"].get("type", "ClusterIP")
    if kind in ("LoadBalancer", "NodePort") and s["metadata"]["name"] != "gateway":
        errors.append(f"{where}: type {kind}; only the gateway may be reachable from outside")
    if s["metadata"]["name"] == "gateway" and kind not in ("LoadBalancer", "NodePort"):
        errors.append(f"{where}: the gateway is not exposed (type {kind})")
    selector = s["spec"].get("selector", {})
    matched = [w for _, w in workloads
               if all(w["spec"]["template"]["metadata"].get("labels", {}).get(k) == v for k, v in selector.items())]
    if not selector or not matched:
        errors.append(f"{where}: its selector {selector} matches no pods")
    for port in s["spec"].get("ports", []):
        target = port.get("targetPort", port.get("port"))
        for w in matched:
            containers = w["spec"]["template"]["spec"]["containers"]
            names = {p.get("name") for c in containers for p in c.get("ports", [])}
            numbers = {p.get("containerPort") for c in containers for p in c.get("ports", [])}
            if target not in names and target not in numbers:
                errors.append(f"{where}: targetPort {target} is not a port of {w['metadata']['name']}")
for path, d in objects:
    if d["kind"] == "Ingress":
        errors.append(f"{path}: an Ingress; the gateway Service is the only way in")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
kinds = {}
for _, d in objects:
    kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
print(f"ok: {len(objects)} objects in {len(files)} files (" +
      ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")")
EOF
if command -v kubectl >/dev/null 2>&1; then
  count=$(kubectl kustomize deploy/k8s | grep -c '^kind:')
  echo "ok: kubectl kustomize deploy/k8s renders $count objects"
else
  echo "skipped kubectl kustomize: kubectl is not installed"
fi
echo "== all checks passed"
