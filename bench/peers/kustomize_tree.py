#!/usr/bin/env python3
"""The kustomize peer's input (bench/peers.sh): a base and three overlays over the same objects.

  kustomize_tree.py OBJECTS_DIR OUT_DIR

OBJECTS_DIR holds <env>.json for dev, staging and production (the Jsonnet peer's output, which
equal.py has found equal to platc's). The base is the dev objects, one file per workload as a team
would keep them; each overlay sets its namespace with kustomize's namespace transformer and carries
one JSON 6902 patch per object that differs in that environment (labels, role ARNs, hosts, remote
keys, production's resources). The patches are written out by this script, not timed: the benchmark
times `kubectl kustomize overlays/<env>`, the work kustomize does on every build.

Why patches and not the `labels` transformer for the environment's labels: the instance label is in
selectors, and kustomize's selector field specs would also add it to the `podSelector: {}` of the
default-deny NetworkPolicy, which would then stop selecting every pod of the namespace.
"""
import json
import os
import sys

ENVS = ["dev", "staging", "production"]


def key(o):
    return (o["kind"], o["metadata"]["name"])


def esc(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def diff(a, b, path, ops):
    """JSON patch operations turning a into b (replace for changed leaves; add/remove for keys)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                ops.append({"op": "remove", "path": f"{path}/{esc(k)}"})
        for k in b:
            if k not in a:
                ops.append({"op": "add", "path": f"{path}/{esc(k)}", "value": b[k]})
            else:
                diff(a[k], b[k], f"{path}/{esc(k)}", ops)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}/{i}", ops)
    elif a != b:
        ops.append({"op": "replace", "path": path, "value": b})


def dump(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    src, out = sys.argv[1], sys.argv[2]
    objs = {e: json.load(open(os.path.join(src, e + ".json"), encoding="utf-8")) for e in ENVS}
    base = objs["dev"]
    # The base: one file per workload (by its name label), the shared objects in one file.
    files = {}
    for o in base:
        owner = o["metadata"].get("labels", {}).get("app.kubernetes.io/name", "shared")
        if o["kind"] == "Ingress":
            owner = o["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
        files.setdefault(owner, []).append(o)
    for owner, items in files.items():
        dump(os.path.join(out, "base", owner + ".yaml"), "---\n".join(json.dumps(o, indent=1) + "\n" for o in items))
    dump(os.path.join(out, "base", "kustomization.yaml"),
         "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
         + "".join(f"- {owner}.yaml\n" for owner in files))
    # A base object and its counterpart in each environment appear in the same position.
    for env in ENVS:
        lines = ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization",
                 f"namespace: bench-{env}", "resources:", "- ../../base"]
        patches = []
        for a, b in zip(base, objs[env]):
            a2 = json.loads(json.dumps(a))
            if "namespace" in a2["metadata"]:
                a2["metadata"]["namespace"] = b["metadata"]["namespace"]
            if a2["kind"] == "Namespace":
                a2["metadata"]["name"] = b["metadata"]["name"]  # the namespace transformer renames it
            ops = []
            diff(a2, b, "", ops)
            if ops:
                patches.append((a["kind"], a["metadata"]["name"], ops))
        if patches:
            lines.append("patches:")
            for kind, name, ops in patches:
                quoted = json.dumps(ops).replace("'", "''")  # a YAML single-quoted scalar
                lines += [f"- target: {{kind: {kind}, name: {json.dumps(name)}}}", f"  patch: '{quoted}'"]
        dump(os.path.join(out, "overlays", env, "kustomization.yaml"), "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
