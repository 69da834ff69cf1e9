#!/usr/bin/env python3
"""The golden test runner: one runner for every kind of file-based test.

A test is a `.plat` file, or a directory whose name ends in `.platdir`, under tests/golden/ or
under tests/policy/ (the policy rules' pass and fail cases; run from that directory).
Its first lines may say how to run it (default: `check {input}`):

    # RUN: fmt --stdout {input}

Placeholders: {input} the test file or directory, {out} a fresh output directory.
The expectation sits beside the input as `<name>.golden`: the exit code, stdout and stderr.
When the command writes an output tree ({out}), the tree is compared with `<name>.tree/`. Files a
backend copies verbatim from platc's sources (each backend declares them: `platc backends --format
json`, `fixed_files`; the Helm chart's templates, say) are not copied into every tree: they must
equal their source, byte for byte, and the tree keeps what is generated.

Inputs whose name starts with `fail_` must exit non-zero, all others must exit 0: a test that
should fail can never pass by accident, nor the reverse.

    run.py --platc build/release/platc            # run all
    run.py --platc ... --autoupdate               # rewrite the expectations from what platc does now
    run.py --platc ... tests/golden/syntax        # only some
"""
import argparse
import difflib
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
POLICY = os.path.join(ROOT, "tests", "policy")
RUN_RE = re.compile(r"^\s*(?:#|//)\s*RUN:\s*(.+?)\s*$")


def find_tests(paths):
    tests = []
    for base in paths:
        if os.path.isfile(base) or base.endswith(".platdir"):
            tests.append(base)
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for d in list(dirnames):
                if d.endswith(".platdir"):
                    tests.append(os.path.join(dirpath, d))
                    dirnames.remove(d)
                elif d.endswith(".tree"):
                    dirnames.remove(d)
            for f in sorted(filenames):
                if f.endswith(".plat"):
                    tests.append(os.path.join(dirpath, f))
    return sorted(tests)


def run_line(test):
    first = os.path.join(test, "RUN") if os.path.isdir(test) else test
    if os.path.isfile(first):
        with open(first, "rb") as fh:
            for raw in fh.read().split(b"\n")[:5]:
                m = RUN_RE.match(raw.decode("utf-8", "replace"))
                if m:
                    return m.group(1)
    return "check {input}"


FIXED = []  # (compiled output pattern, source path under ROOT), from `platc backends --format json`


def load_fixed(platc):
    """The files each backend copies verbatim from platc's sources."""
    out = subprocess.run([platc, "backends", "--format", "json"], capture_output=True, check=True).stdout
    for backend in json.loads(out)["backends"]:
        for f in backend["fixed_files"]:
            pattern = "^" + "/".join("[^/]+" if part == "*" else re.escape(part)
                                     for part in f["output"].split("/")) + "$"
            FIXED.append((re.compile(pattern), f["source"]))


def fixed_file(rel):
    """The source path that a tree file must equal, or None."""
    rel = rel.replace(os.sep, "/")
    for pattern, source in FIXED:
        if pattern.match(rel):
            return os.path.join(ROOT, *source.split("/"))
    return None


def split_fixed(files, problems):
    """Checks the chart's fixed files against their source; returns the other files."""
    rest = {}
    for rel, content in files.items():
        src = fixed_file(rel)
        if src is None:
            rest[rel] = content
        elif not os.path.isfile(src) or open(src, "rb").read() != content:
            problems.append(f"{rel} is not a copy of {os.path.relpath(src, ROOT)}")
    return rest


def read_tree(root):
    files = {}
    for dirpath, _, filenames in os.walk(root):
        for f in filenames:
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, root)
            with open(p, "rb") as fh:
                files[rel] = fh.read()
    return files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--platc", required=True)
    ap.add_argument("--autoupdate", action="store_true")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    platc = os.path.abspath(args.platc)
    load_fixed(platc)
    paths = [os.path.abspath(p) for p in args.paths] or [HERE, POLICY]
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C", TZ="UTC")

    passed = failed = 0
    for test in find_tests(paths):
        base = POLICY if os.path.abspath(test).startswith(POLICY + os.sep) else HERE
        rel = os.path.relpath(test, HERE)
        name = os.path.basename(test)
        stem = test[: -len(".platdir")] if test.endswith(".platdir") else test[: -len(".plat")]
        golden = stem + ".golden"
        tree_dir = stem + ".tree"
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out")
            # Paths in messages are relative to tests/golden (or tests/policy), so expectations do
            # not depend on where the checkout lives.
            cmd = run_line(test).replace("{input}", os.path.relpath(test, base)).replace("{out}", out)
            proc = subprocess.run([platc] + cmd.split(), cwd=base, env=env, capture_output=True, timeout=60)
            stdout = proc.stdout.decode("utf-8", "replace").replace(tmp, "<tmp>")
            stderr = proc.stderr.decode("utf-8", "replace").replace(tmp, "<tmp>")
            actual = f"# exit: {proc.returncode}\n# stdout:\n{stdout}# stderr:\n{stderr}"
            problems = []
            if name.startswith("fail_") and proc.returncode == 0:
                problems.append("a fail_ test exited 0")
            if not name.startswith("fail_") and proc.returncode != 0:
                problems.append(f"exited {proc.returncode}; only fail_ tests may fail")
            if proc.returncode < 0 or proc.returncode > 3:
                problems.append(f"crashed or used an undocumented exit code ({proc.returncode})")
            writes_tree = "{out}" in run_line(test)
            if args.autoupdate and not problems:
                with open(golden, "w", encoding="utf-8") as fh:
                    fh.write(actual)
                if writes_tree and os.path.isdir(out):
                    shutil.rmtree(tree_dir, ignore_errors=True)
                    shutil.copytree(out, tree_dir)
                    for rel in read_tree(tree_dir):
                        if fixed_file(rel):
                            os.remove(os.path.join(tree_dir, rel))
                    for dirpath, dirnames, filenames in os.walk(tree_dir, topdown=False):
                        if not dirnames and not filenames and not os.listdir(dirpath):
                            os.rmdir(dirpath)
            else:
                expected = open(golden, encoding="utf-8").read() if os.path.exists(golden) else None
                if expected is None:
                    problems.append(f"no expectation {os.path.relpath(golden, HERE)} (run with --autoupdate)")
                elif expected != actual:
                    diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                "expected", "actual")
                    problems.append("output differs:\n" + "".join(diff))
                if writes_tree:
                    want = read_tree(tree_dir) if os.path.isdir(tree_dir) else {}
                    got = split_fixed(read_tree(out), problems) if os.path.isdir(out) else {}
                    for f in sorted(set(want) | set(got)):
                        if want.get(f) != got.get(f):
                            problems.append(f"output tree differs at {f}")
        if problems:
            failed += 1
            print(f"FAIL {rel}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            passed += 1
    print(f"golden: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
