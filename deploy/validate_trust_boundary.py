"""Checks of the trust boundary (deploy/README.md, "The trust boundary"), for validate_manifests.py:
every service and the gateway get the same INTERNAL_API_KEY; in compose the services and
PostgreSQL sit on an internal network only; in Kubernetes NetworkPolicies deny every ingress but
anyone -> gateway, gateway -> services, payment -> queue and concert, queue -> concert,
services -> PostgreSQL."""

SERVICES = ("queue", "concert", "payment")
OUTSIDE = "(outside the namespace)"


def _networks(svc):
    networks = svc.get("networks") or {}
    return set(networks) if isinstance(networks, (dict, list)) else set()


def check_compose(compose):
    services, errors = compose["services"], []
    declared = compose.get("networks") or {}
    internal = {n for n, spec in declared.items() if (spec or {}).get("internal")}
    keys = {}
    for name in SERVICES + ("gateway",):
        env = services.get(name, {}).get("environment", {})
        keys[name] = env.get("INTERNAL_API_KEY")
        if not keys[name] or len(keys[name]) < 16:
            errors.append(f"{name}: INTERNAL_API_KEY is not set to 16 or more characters")
    if len(set(keys.values())) > 1:
        errors.append("the services and the gateway do not share one INTERNAL_API_KEY")
    for name in SERVICES + ("postgres",):
        nets = _networks(services.get(name, {}))
        if not nets or not nets <= internal:
            errors.append(f"{name}: on networks {sorted(nets)}; expected internal ones only {sorted(internal)}")
    gateway_nets = _networks(services.get("gateway", {}))
    if not gateway_nets & internal or not gateway_nets - internal:
        errors.append(f"gateway: on networks {sorted(gateway_nets)}; expected an internal one and a public one")
    return errors


def _selects(selector, labels):
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        present, values = expr["key"] in labels, expr.get("values") or []
        ok = {"In": present and labels[expr["key"]] in values,
              "NotIn": not present or labels[expr["key"]] not in values,
              "Exists": present, "DoesNotExist": not present}[expr["operator"]]
        if not ok:
            return False
    return True


def _allowed_sources(policies, target, pods):
    """The pods (by app name, or OUTSIDE) allowed to connect to `target`; None: no policy applies."""
    applying = [p for p in policies if "Ingress" in p["spec"].get("policyTypes", ["Ingress"])
                and _selects(p["spec"].get("podSelector", {}), pods[target])]
    if not applying:
        return None
    allowed = set()
    for policy in applying:
        for rule in policy["spec"].get("ingress") or []:
            peers = rule.get("from")
            if not peers:
                allowed |= set(pods) | {OUTSIDE}
                continue
            for peer in peers:
                if "podSelector" in peer and "namespaceSelector" not in peer:
                    allowed |= {name for name, labels in pods.items()
                                if _selects(peer["podSelector"], labels)}
                else:
                    allowed.add(OUTSIDE)
    return allowed


def check_k8s(objects):
    errors = []
    workloads = [d for d in objects if d["kind"] in ("Deployment", "StatefulSet")]
    pods = {w["metadata"]["name"]: w["spec"]["template"]["metadata"].get("labels", {}) for w in workloads}
    policies = [d for d in objects if d["kind"] == "NetworkPolicy"]
    if not any(p["spec"].get("podSelector") == {} and "Ingress" in p["spec"].get("policyTypes", [])
               and not p["spec"].get("ingress") for p in policies):
        errors.append("no default-deny ingress NetworkPolicy (podSelector {}, no ingress rules)")
    expected = {"gateway": set(pods) | {OUTSIDE}, "queue": {"gateway", "payment"},
                "concert": {"gateway", "payment", "queue"}, "payment": {"gateway"},
                "postgres": set(SERVICES)}
    for target, want in expected.items():
        if target not in pods:
            continue  # reported by the workload checks
        got = _allowed_sources(policies, target, pods)
        if got != want:
            errors.append(f"NetworkPolicies let {sorted(got) if got is not None else 'everyone'} "
                          f"reach {target}; expected {sorted(want)}")
    secrets = [d for d in objects if d["kind"] == "Secret"]
    for w in workloads:
        name = w["metadata"]["name"]
        if name not in SERVICES + ("gateway",):
            continue
        env = {v["name"]: v for c in w["spec"]["template"]["spec"]["containers"] for v in c.get("env", [])}
        ref = env.get("INTERNAL_API_KEY", {}).get("valueFrom", {}).get("secretKeyRef", {})
        if ref.get("key") != "INTERNAL_API_KEY" or ref.get("optional"):
            errors.append(f"Deployment/{name}: INTERNAL_API_KEY does not come (required) from a Secret")
        elif not any(s["metadata"]["name"] == ref.get("name") and
                     "INTERNAL_API_KEY" in (s.get("stringData") or s.get("data") or {}) for s in secrets):
            errors.append(f"Deployment/{name}: Secret {ref.get('name')} has no INTERNAL_API_KEY")
    config = next((d for d in objects if d["kind"] == "ConfigMap"
                   and d["metadata"]["name"] == "ticketing-config"), {})
    if (config.get("data") or {}).get("LISTEN_ADDRESS") != "0.0.0.0":
        errors.append("ConfigMap/ticketing-config: LISTEN_ADDRESS is not 0.0.0.0 (pods are reached on their IP)")
    return errors
