#!/usr/bin/env python3
"""Checks of the container and Kubernetes descriptions, run by deploy/validate.sh.

  validate_manifests.py compose RESOLVED_COMPOSE_YAML   (the output of `docker-compose config`)
  validate_manifests.py dockerfiles DOCKERFILE...
  validate_manifests.py k8s DIRECTORY [KUBECTL_RENDERED_YAML]

The k8s check renders the kustomization itself (the few kustomize features deploy/k8s uses:
resources, labels, images, JSON 6902 patches), so it works without kubectl. Given kubectl's
rendering too, it first checks that both agree, then validates the rendered objects.
Each command prints one "ok" line or the problems it found, and exits non-zero on a problem.
"""
import copy
import glob
import os
import sys

import yaml

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree by the import below
import validate_trust_boundary  # noqa: E402


def fail(errors, prefix=""):
    if errors:
        print("\n".join(prefix + e for e in errors), file=sys.stderr)
        sys.exit(1)


# --- docker-compose.yml ------------------------------------------------------------------------

def check_compose(resolved):
    compose = yaml.safe_load(open(resolved))
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
        return {d for d, c in deps.items()
                if isinstance(c, dict) and c.get("condition") == "service_healthy"}

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
    if (pay_env.get("QUEUE_URL") != "http://queue:8081"
            or pay_env.get("CONCERT_URL") != "http://concert:8082"):
        errors.append("payment: QUEUE_URL/CONCERT_URL do not point at the queue and concert services")
    # Without it the line never learns that a show sold out (product-spec.md, "Sale day").
    if services.get("queue", {}).get("environment", {}).get("CONCERT_URL") != "http://concert:8082":
        errors.append("queue: CONCERT_URL does not point at the concert service")
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
    errors += validate_trust_boundary.check_compose(compose)
    fail(errors, "docker-compose.yml: ")
    print(f"ok: {len(services)} services; only the gateway publishes a port; health checks and start order;"
          " one INTERNAL_API_KEY; services and PostgreSQL on an internal network only")


# --- Dockerfiles ---------------------------------------------------------------------------------

KNOWN_INSTRUCTIONS = {"FROM", "ARG", "RUN", "COPY", "ADD", "ENV", "USER", "EXPOSE", "HEALTHCHECK",
                      "WORKDIR", "ENTRYPOINT", "CMD", "LABEL", "STOPSIGNAL", "VOLUME", "SHELL",
                      "ONBUILD"}


def dockerfile_instructions(path):
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments and blanks left out."""
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
    result = []
    for line in lines:
        parts = line.split(None, 1)
        result.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return result


# Build outputs a Dockerfile may copy from the host: absent from a fresh clone until built.
BUILT_ON_HOST = {"services/web/dist"}


def check_dockerfiles(paths):
    errors = []
    for path in paths:
        instructions = dockerfile_instructions(path)
        for ins, _ in instructions:
            if ins not in KNOWN_INSTRUCTIONS:
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
                    # A source naming a build argument ($SERVICE) or made by a build on the
                    # host (the pages' dist/, for PAGES=prebuilt) is checked by building.
                    if (not src.startswith("--") and "$" not in src and src not in BUILT_ON_HOST
                            and not os.path.exists(src)):
                        errors.append(f"{path}: {i} source {src} does not exist")
    fail(errors)
    print("ok: " + ", ".join(paths))


# --- Kubernetes: a small kustomize ---------------------------------------------------------------

# Where a label with includeSelectors goes besides metadata.labels (the kinds deploy/k8s uses).
SELECTOR_FIELDS = {
    "Service": [["spec", "selector"]],
    "Deployment": [["spec", "selector", "matchLabels"], ["spec", "template", "metadata", "labels"],
                   ["spec", "template", "spec", "topologySpreadConstraints", "*", "labelSelector",
                    "matchLabels"]],
    "StatefulSet": [["spec", "selector", "matchLabels"], ["spec", "template", "metadata", "labels"]],
    "PodDisruptionBudget": [["spec", "selector", "matchLabels"]],
}


def set_labels(node, path, pairs):
    if not path:
        node.update(pairs)
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in node if isinstance(node, list) else []:
            set_labels(item, rest, pairs)
    elif isinstance(node, dict) and head in node:
        set_labels(node[head], rest, pairs)
    elif isinstance(node, dict) and not rest:
        node[head] = {}
        set_labels(node[head], rest, pairs)


def pointer(path):
    return [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]


def apply_op(doc, op, where):
    keys = pointer(op["path"])
    parent = doc
    for key in keys[:-1]:
        parent = parent[int(key)] if isinstance(parent, list) else parent[key]
    last = keys[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op["op"] == "add":
            parent.insert(index, op["value"])
        elif op["op"] == "replace":
            parent[index] = op["value"]
        elif op["op"] == "remove":
            del parent[index]
        else:
            raise ValueError(f"{where}: op {op['op']} is not supported here")
    else:
        if op["op"] in ("replace", "remove") and last not in parent:
            raise ValueError(f"{where}: {op['path']} does not exist")
        if op["op"] in ("add", "replace"):
            parent[last] = op["value"]
        elif op["op"] == "remove":
            del parent[last]
        else:
            raise ValueError(f"{where}: op {op['op']} is not supported here")


def matches(doc, target):
    meta = doc.get("metadata", {})
    return all(target.get(k) in (None, v) for k, v in
               (("kind", doc.get("kind")), ("name", meta.get("name")),
                ("namespace", meta.get("namespace"))))


def render(directory, reached):
    """The objects a kustomization directory renders to, as (source file, object) pairs."""
    kfile = os.path.join(directory, "kustomization.yaml")
    reached.add(os.path.normpath(kfile))
    k = yaml.safe_load(open(kfile)) or {}
    unsupported = set(k) - {"apiVersion", "kind", "resources", "labels", "images", "patches"}
    if unsupported:
        raise ValueError(f"{kfile}: {sorted(unsupported)} not supported by this check")
    objects = []
    for resource in k.get("resources", []):
        path = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(path):
            objects += render(path, reached)
        else:
            reached.add(path)
            objects += [(path, d) for d in yaml.safe_load_all(open(path)) if d is not None]
    objects = [(p, copy.deepcopy(d)) for p, d in objects]
    for patch in k.get("patches", []):
        ops = yaml.safe_load(patch["patch"]) if "patch" in patch else \
            yaml.safe_load(open(os.path.join(directory, patch["path"])))
        hits = [(p, d) for p, d in objects if matches(d, patch.get("target", {}))]
        if not hits:
            raise ValueError(f"{kfile}: a patch matches no object: {patch.get('target')}")
        for p, d in hits:
            for op in ops:
                apply_op(d, op, kfile)
    for label in k.get("labels", []):
        pairs = label.get("pairs", {})
        for _, d in objects:
            d.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
            if label.get("includeSelectors"):
                for path in SELECTOR_FIELDS.get(d.get("kind"), []):
                    set_labels(d, path, pairs)
    for image in k.get("images", []):
        for _, d in objects:
            pod = d.get("spec", {}).get("template", {}).get("spec", {})
            for c in pod.get("containers", []) + pod.get("initContainers", []):
                name, _, tag = c.get("image", "").partition(":")
                if name == image["name"]:
                    c["image"] = image.get("newName", name) + (
                        ":" + image.get("newTag", tag) if image.get("newTag", tag) else "")
    return objects


def by_id(docs):
    return {(d.get("kind"), d.get("metadata", {}).get("name")): d for d in docs}


def check_k8s(directory, kubectl_rendered=None):
    errors = []
    reached = set()
    try:
        objects = render(directory, reached)
    except (ValueError, KeyError, IndexError, yaml.YAMLError) as e:
        fail([f"rendering {directory}: {e}"])
    every_file = {os.path.normpath(f) for f in glob.glob(os.path.join(directory, "**", "*.yaml"),
                                                         recursive=True)}
    for f in sorted(every_file - reached):
        errors.append(f"{f}: not reached from {directory}/kustomization.yaml")
    if kubectl_rendered:
        theirs = by_id(d for d in yaml.safe_load_all(open(kubectl_rendered)) if d is not None)
        ours = by_id(d for _, d in objects)
        if theirs != ours:
            differ = sorted(str(key) for key in set(theirs) | set(ours) if theirs.get(key) != ours.get(key))
            errors.append("kubectl kustomize and this check render differently: " + ", ".join(differ))

    for path, doc in objects:
        where = f"{path}: {doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        for field in ("apiVersion", "kind"):
            if not doc.get(field):
                errors.append(f"{where}: no {field}")
        if not (doc.get("metadata") or {}).get("name"):
            errors.append(f"{where}: no metadata.name")
        if doc.get("kind") != "Namespace" and doc.get("metadata", {}).get("namespace") != "ticketing":
            errors.append(f"{where}: not in the ticketing namespace")
    fail(errors)

    def find(kind, name):
        return next((d for _, d in objects if d["kind"] == kind and d["metadata"]["name"] == name), None)

    def keys_of(obj):
        return set((obj.get("data") or {}).keys()) | set((obj.get("stringData") or {}).keys())

    seen = {}
    for path, d in objects:
        key = (d["kind"], d["metadata"]["name"])
        if key in seen:
            errors.append(f"{path}: {key[0]}/{key[1]} also comes from {seen[key]}")
        seen[key] = path
    workloads = [(p, d) for p, d in objects if d["kind"] in ("Deployment", "StatefulSet")]
    deployments = {d["metadata"]["name"]: d for _, d in objects if d["kind"] == "Deployment"}
    for name in ("queue", "concert", "payment", "gateway"):
        if name not in deployments:
            errors.append(f"no Deployment {name}")
        if not find("Service", name):
            errors.append(f"no Service {name}")
    if not find("StatefulSet", "postgres") or not find("Service", "postgres"):
        errors.append("no PostgreSQL StatefulSet and Service")
    # The queue reads CONCERT_URL from the shared ConfigMap: without it no sell-out is seen.
    config = find("ConfigMap", "ticketing-config") or {}
    queue_sources = [s.get("configMapRef", {}).get("name") for c in
                     deployments.get("queue", {}).get("spec", {}).get("template", {}).get("spec", {})
                     .get("containers", []) for s in c.get("envFrom", [])]
    if ((config.get("data") or {}).get("CONCERT_URL") != "http://concert:8082"
            or "ticketing-config" not in queue_sources):
        errors.append("queue: CONCERT_URL (ConfigMap ticketing-config) does not point at the concert service")

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
                   if all(w["spec"]["template"]["metadata"].get("labels", {}).get(k) == v
                          for k, v in selector.items())]
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
    errors += validate_trust_boundary.check_k8s([d for _, d in objects])

    fail(errors)
    kinds = {}
    for _, d in objects:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    print(f"ok: {len(objects)} objects from {len(reached)} files (" +
          ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")" +
          ("; the same as kubectl kustomize renders" if kubectl_rendered else ""))


def main(argv):
    commands = {"compose": lambda a: check_compose(*a), "dockerfiles": check_dockerfiles,
                "k8s": lambda a: check_k8s(*a)}
    if len(argv) < 2 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    commands[argv[1]](argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
