#!/usr/bin/env python3
"""Are a peer's Kubernetes objects the ones platc wrote? (bench/peers.sh, the equivalence check)

  equal.py PLATC_OUT PEER_DIR

PLATC_OUT is a `platc build --emit kubernetes` tree; PEER_DIR holds one file per environment,
<env>.json (a JSON list of objects), <env>.yaml or <env>.k8s.yaml (cdk8s) (a YAML stream). Every object of platc's
kubernetes/<env>/*.yaml (kustomization.yaml aside: it lists platc's files, not objects) must be in
the peer's output for that environment with the same parsed content, and the other way round. Objects
are matched by (kind, namespace, name); the order of objects is not compared (each tool has its own),
the order inside lists is. Prints every difference (at most 20) and exits 1 if there is one.
"""
import json
import os
import sys

import yaml


def key(o):
    m = o.get("metadata", {})
    return (o.get("kind"), m.get("namespace", ""), m.get("name"))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return f"{path or '/'}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                side = "platc" if k in a else "peer"
                return f"{path}/{k}: only in {side}"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}/{i}")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"


def main():
    out, peer = sys.argv[1], sys.argv[2]
    kdir = os.path.join(out, "kubernetes")
    problems, compared = [], 0
    for env in sorted(os.listdir(kdir)):
        ours = {}
        for f in sorted(os.listdir(os.path.join(kdir, env))):
            if f.endswith(".yaml") and f != "kustomization.yaml":
                for o in load_yaml(os.path.join(kdir, env, f)):
                    ours[key(o)] = o
        if os.path.exists(os.path.join(peer, env + ".json")):
            with open(os.path.join(peer, env + ".json"), encoding="utf-8") as f:
                theirs_list = json.load(f)
        elif os.path.exists(os.path.join(peer, env + ".yaml")):
            theirs_list = load_yaml(os.path.join(peer, env + ".yaml"))
        elif os.path.exists(os.path.join(peer, env + ".k8s.yaml")):  # cdk8s's name for a chart's file
            theirs_list = load_yaml(os.path.join(peer, env + ".k8s.yaml"))
        else:
            problems.append(f"{env}: the peer wrote nothing")
            continue
        theirs = {key(o): o for o in theirs_list}
        if len(theirs) != len(theirs_list):
            problems.append(f"{env}: the peer wrote an object twice")
        for k in sorted(set(ours) | set(theirs), key=str):
            if k not in theirs:
                problems.append(f"{env}: {k}: only in platc's output")
            elif k not in ours:
                problems.append(f"{env}: {k}: only in the peer's output")
            else:
                compared += 1
                d = first_difference(ours[k], theirs[k])
                if d:
                    problems.append(f"{env}: {k}: {d}")
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    print(f"equal.py: {compared} objects compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
