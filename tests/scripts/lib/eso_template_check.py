#!/usr/bin/env python3
"""What the ExternalSecrets' templates make, rendered by Go's text/template with sprig.

    eso_template_check.py HELM_RENDER KUBERNETES_DIR

For every ExternalSecret of KUBERNETES_DIR/*/ with `target.template` (an AWS database's
connection: `password` and `url` from the secret RDS manages), each template is run by
HELM_RENDER (tests/helm-render: text/template, sprig, and Helm's functions, like ESO's v2 engine)
on stand-in inputs: every key the ExternalSecret fetches, and RDS's secret as JSON with a password
made of the characters that break URLs. The Secret must then hold that password exactly, a `url`
that parses back to the user, password, host, port and database fetched (with the engine's TLS
query), and every other key as fetched. Prints one line per problem; exit 1 on any.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

tool, kdir = sys.argv[1:3]
HOSTILE = "p@ss:w/o?r#d%20&+=;,$!*'()[] ~^|`\\\"<>{}"
SAMPLES = {"host": "db-1.abc.eu-west-1.rds.amazonaws.com", "port": "5432", "user": "platform_admin",
           "database": "orders", "ca_cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
problems, checked = [], 0

for path in sorted(glob.glob(os.path.join(kdir, "*", "*.yaml"))):
    for d in yaml.safe_load_all(open(path)):
        if not isinstance(d, dict) or d.get("kind") != "ExternalSecret":
            continue
        spec = d["spec"]
        tmpl = ((spec.get("target") or {}).get("template") or {}).get("data")
        if not tmpl:
            continue
        name = f"{os.path.relpath(path, kdir)}: {d['metadata']['name']}"
        inputs = {x["secretKey"]: SAMPLES.get(x["secretKey"], "sample-" + x["secretKey"]) for x in spec.get("data", [])}
        for f in spec.get("dataFrom", []):
            for r in f.get("rewrite", []):
                inputs[r["regexp"]["target"]] = json.dumps({"username": "platform_admin", "password": HOSTILE, "engine": "postgres"})
        with tempfile.TemporaryDirectory() as chart:
            os.makedirs(os.path.join(chart, "templates"))
            open(os.path.join(chart, "Chart.yaml"), "w").write("apiVersion: v2\nname: eso\nversion: 0.1.0\n")
            keys = sorted(tmpl)
            with open(os.path.join(chart, "templates", "_keys.tpl"), "w") as t:
                for i, k in enumerate(keys):
                    t.write('{{- define "k%d" -}}%s{{- end -}}\n' % (i, tmpl[k]))
            with open(os.path.join(chart, "templates", "secret.yaml"), "w") as t:
                for i, k in enumerate(keys):
                    t.write('%s: {{ include "k%d" .Values | toJson }}\n' % (json.dumps(k), i))
            values = os.path.join(chart, "values.yaml")
            yaml.safe_dump(inputs, open(values, "w"))
            r = subprocess.run([tool, chart, "-f", values], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"{name}: the template does not run: {r.stderr.strip()[:200]}")
            continue
        got = yaml.safe_load(r.stdout.split("\n", 1)[1] if r.stdout.startswith("#") else r.stdout) or {}
        checked += 1
        for k in keys:
            v = got.get(k)
            if k == "password":
                if v != HOSTILE:
                    problems.append(f"{name}: password is {v!r}, not RDS's")
            elif k == "url":
                u = urlsplit(v or "")
                q = parse_qs(u.query)
                want_q = {"sslmode": ["require"]} if u.scheme == "postgres" else {"ssl-mode": ["REQUIRED"]}
                if (u.scheme not in ("postgres", "mysql") or unquote(u.username or "") != inputs.get("user")
                        or unquote(u.password or "") != HOSTILE or u.hostname != inputs.get("host")
                        or str(u.port) != inputs.get("port") or u.path != "/" + inputs.get("database", "") or q != want_q):
                    problems.append(f"{name}: url {v!r} does not parse back to the fetched parts and RDS's password")
            elif v != inputs.get(k):
                problems.append(f"{name}: {k} is {v!r}, fetched {inputs.get(k)!r}")

for p in problems[:40]:
    print(p)
print(f"eso templates: {checked} ExternalSecret(s) with templates, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
