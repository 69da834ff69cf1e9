#!/usr/bin/env python3
"""Checks that the diagnostic registry, its explanations and its tests agree.

    check_registry.py --platc build/release/platc

For every code declared in compiler/diag/diag_kinds.def:
  - it is declared once (no two DIAG entries share a code or a name);
  - docs/explain/CODE.md exists and starts with the title line `# CODE: short name`;
  - `platc explain CODE` prints exactly that file;
  - docs/diagnostics.md has a row for it in its table of codes (P codes: docs/policies.md);
  - at least one golden expectation produces it: `[CODE]` appears in some tests/golden/**/*.golden
    or tests/policy/**/*.golden.
    Codes that only a generated input can produce (a 16 MiB file, 4 million tokens) are listed,
    with the reason and the test that covers them, in tests/golden/REGISTRY_EXEMPT;
  - the examples of its explanation are honest: each ```plat block under `## Example` produces
    [CODE] under `platc check`, and none under `## Corrected` does. Examples that cannot be a
    single file (bytes, huge inputs, several files) are written as ```text and not run.
And every docs/explain/*.md file names a registered code.

Prints one line per problem and a closing line `registry: N passed, N failed` (one check per
code, plus one per stray explanation file); exits 1 when anything failed.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEF = os.path.join(ROOT, "compiler", "diag", "diag_kinds.def")
EXPLAIN = os.path.join(ROOT, "docs", "explain")
GOLDEN = os.path.join(ROOT, "tests", "golden")
POLICY_TESTS = os.path.join(ROOT, "tests", "policy")
TABLE = os.path.join(ROOT, "docs", "diagnostics.md")
POLICY_TABLE = os.path.join(ROOT, "docs", "policies.md")  # P codes are listed there
EXEMPT = os.path.join(GOLDEN, "REGISTRY_EXEMPT")

DIAG_RE = re.compile(r'^\s*DIAG\(\s*(\w+)\s*,\s*"([A-Z][0-9]{4})"', re.M)
FENCE_RE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.M | re.S)


def read_registry():
    with open(DEF, encoding="utf-8") as fh:
        text = fh.read()
    # Only real entries: drop the comment lines, which show the DIAG syntax as an example.
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return DIAG_RE.findall(text)


def read_exempt():
    """CODE  reason…  — one per line; `#` starts a comment."""
    exempt = {}
    if not os.path.exists(EXEMPT):
        return exempt
    with open(EXEMPT, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            code, _, reason = line.partition(" ")
            exempt[code] = (reason.strip(), number)
    return exempt


def golden_codes():
    found = {}
    paths = glob.glob(os.path.join(GOLDEN, "**", "*.golden"), recursive=True)
    paths += glob.glob(os.path.join(POLICY_TESTS, "**", "*.golden"), recursive=True)
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for code in re.findall(r"\[([A-Z][0-9]{4})\]", fh.read()):
                found.setdefault(code, os.path.relpath(path, ROOT))
    return found


def run(platc, args, cwd=None):
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
    return subprocess.run([platc] + args, cwd=cwd, env=env, capture_output=True, timeout=60)


def sections(text):
    """(heading, body) for each `## heading` of an explanation; the title part has heading ''."""
    parts = re.split(r"^## +(.*)$", text, flags=re.M)
    yield "", parts[0]
    for i in range(1, len(parts) - 1, 2):
        yield parts[i].strip().lower(), parts[i + 1]


def check_examples(platc, code, text):
    """Problems with the ```plat examples of an explanation (empty when they are honest).

    Every ```plat block under `## Example` must produce [CODE]; every one under `## Corrected`
    must not. Other blocks (```text, or under other headings) are illustrations, not run."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for heading, body in sections(text):
            want = {"example": True, "corrected": False}.get(heading)
            if want is None:
                continue
            for lang, block in FENCE_RE.findall(body):
                if lang != "plat":
                    continue
                # Checked from the parent directory, as the golden tests are.
                os.makedirs(os.path.join(tmp, "platform"), exist_ok=True)
                with open(os.path.join(tmp, "platform", "example.plat"), "w", encoding="utf-8") as fh:
                    fh.write(block)
                proc = run(platc, ["check", "platform/example.plat"], cwd=tmp)
                out = proc.stderr.decode("utf-8", "replace") + proc.stdout.decode("utf-8", "replace")
                if (f"[{code}]" in out) != want:
                    what = "the failing example does not produce" if want else "the corrected example still produces"
                    problems.append(f"{code}: {what} [{code}]:\n" + indent(out))
    return problems


def indent(text):
    return "".join("      " + line + "\n" for line in text.rstrip("\n").splitlines()[:12])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--platc", required=True, help="the platc binary to run")
    args = ap.parse_args()
    platc = os.path.abspath(args.platc)
    if not os.access(platc, os.X_OK):
        print(f"registry: {args.platc} is not an executable platc")
        print("registry: 0 passed, 1 failed")
        return 1

    entries = read_registry()
    exempt = read_exempt()
    produced = golden_codes()
    with open(TABLE, encoding="utf-8") as fh:
        table = set(re.findall(r"^\| *([A-Z][0-9]{4}) *\|", fh.read(), re.M))
    if os.path.exists(POLICY_TABLE):
        with open(POLICY_TABLE, encoding="utf-8") as fh:
            table |= set(re.findall(r"^\| *\[?(P[0-9]{4})\]?[^|]*\|", fh.read(), re.M))
    passed = failed = 0

    codes = [code for _, code in entries]
    names = [name for name, _ in entries]
    registered = set(codes)

    # Duplicates in the registry.
    for what, values in (("code", codes), ("name", names)):
        for v in sorted({v for v in values if values.count(v) > 1}):
            print(f"FAIL {v}: the {what} is declared {values.count(v)} times in compiler/diag/diag_kinds.def")
            failed += 1

    # The exemption list names only registered codes, each with a reason.
    for code, (reason, line) in sorted(exempt.items()):
        if code not in registered:
            print(f"FAIL tests/golden/REGISTRY_EXEMPT:{line}: {code} is not a registered code")
            failed += 1
        elif not reason:
            print(f"FAIL tests/golden/REGISTRY_EXEMPT:{line}: {code} has no reason")
            failed += 1

    for code in sorted(registered):
        problems = []
        path = os.path.join(EXPLAIN, code + ".md")
        if not os.path.exists(path):
            problems.append(f"{code}: no explanation docs/explain/{code}.md")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            first = text.split("\n", 1)[0]
            if not re.match(rf"^# {code}: \S", first):
                problems.append(f"{code}: docs/explain/{code}.md must start with `# {code}: <short name>`, "
                                f"not `{first}`")
            proc = run(platc, ["explain", code])
            if proc.returncode != 0 or proc.stdout.decode("utf-8", "replace") != text:
                problems.append(f"{code}: `platc explain {code}` does not print docs/explain/{code}.md "
                                f"(exit {proc.returncode}; rebuild after adding the file: cmake picks up "
                                "new explanations at configure time)")
            problems += check_examples(platc, code, text)
        if code not in table:
            problems.append(f"{code}: no row `| {code} | … |` in the table of docs/diagnostics.md")
        if code not in produced and code not in exempt:
            problems.append(f"{code}: no golden test produces it (no `[{code}]` in tests/golden/**/*.golden); "
                            "add one, or list it with a reason in tests/golden/REGISTRY_EXEMPT")
        if problems:
            failed += 1
            for p in problems:
                print("FAIL " + p)
        else:
            passed += 1

    # Explanations of codes that do not exist.
    for path in sorted(glob.glob(os.path.join(EXPLAIN, "*.md"))):
        stem = os.path.basename(path)[:-3]
        if stem not in registered:
            print(f"FAIL docs/explain/{os.path.basename(path)}: names no registered code")
            failed += 1

    print(f"registry: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
