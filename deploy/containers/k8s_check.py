#!/usr/bin/env python3
"""The rendered Kubernetes set (stdin, `kubectl kustomize deploy/k8s`) runs the images built
and tested here, with their settings: each workload's image exists locally, its container port
is the one the image exposes, its user is the image's user, the root filesystem is read-only
for the services and the gateway, which all get INTERNAL_API_KEY.

  kubectl kustomize deploy/k8s | k8s_check.py"""
import json
import subprocess
import sys

import yaml


def image(name):
    reply = subprocess.run(["podman", "image", "inspect", name], capture_output=True, text=True)
    if reply.returncode != 0:
        raise SystemExit(f"k8s check: {name} is not an image built here")
    return json.loads(reply.stdout)[0]["Config"]


def main():
    checked = []
    for doc in yaml.safe_load_all(sys.stdin):
        if not doc or doc["kind"] not in ("Deployment", "StatefulSet"):
            continue
        pod = doc["spec"]["template"]["spec"]
        for container in pod["containers"]:
            name, config = doc["metadata"]["name"], image(container["image"])
            ports = {int(p.split("/")[0]) for p in config.get("ExposedPorts", {})}
            declared = {p["containerPort"] for p in container.get("ports", [])}
            if not declared <= ports:
                raise SystemExit(f"k8s check: {name} declares {declared}, the image exposes {ports}")
            if name == "postgres":
                continue
            user = pod.get("securityContext", {}).get("runAsUser")
            if str(user) != config.get("User", "").split(":")[0]:
                raise SystemExit(f"k8s check: {name} runs as {user}, the image as {config.get('User')}")
            if not container.get("securityContext", {}).get("readOnlyRootFilesystem"):
                raise SystemExit(f"k8s check: {name} has a writable root filesystem")
            if "INTERNAL_API_KEY" not in {e["name"] for e in container.get("env", [])}:
                raise SystemExit(f"k8s check: {name} gets no INTERNAL_API_KEY")
            checked.append(f"{name}={container['image']}")
    if len(checked) != 4:
        raise SystemExit(f"k8s check: expected the three services and the gateway, got {checked}")
    print("ok: deploy/k8s runs the images tested here with their ports and users: " + ", ".join(checked))


if __name__ == "__main__":
    main()
