#!/usr/bin/env python3
"""Writes tests/fuzz/plat.dict, the libFuzzer dictionary of the Plat language, from its sources:
the keywords and operators of grammar/Plat.g4, the units of compiler/ast/literals.cpp, the kinds of
stdlib/kinds/*.plat and the attributes, blocks, outputs and enum values they declare.

  python3 tests/fuzz/make_dict.py > tests/fuzz/plat.dict      (regenerate)
  python3 tests/fuzz/make_dict.py --check tests/fuzz/plat.dict (what tests/scripts/fuzz_dict.sh runs)

--check fails, naming them, when a keyword, unit or kind of the sources is not in the dictionary,
so it cannot go stale when the grammar, the units or the kinds grow."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def keywords():
    """Every lexer rule of the grammar that is one literal: `IMPORT : 'import' ;`."""
    return re.findall(r"^([A-Z_]+)\s*:\s*'([^']+)'\s*;", read("grammar/Plat.g4"), re.M)


def units():
    return re.findall(r'\{"([^"]+)", UnitKind::', read("compiler/ast/literals.cpp"))


def kind_files():
    return [read(os.path.relpath(f, ROOT)) for f in sorted(glob.glob(os.path.join(ROOT, "stdlib/kinds/*.plat")))]


def kinds():
    return [k for t in kind_files() for k in re.findall(r"^kind\s+([a-z_]+)", t, re.M)]


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate():
    members, enums = set(), set()
    for t in kind_files():
        members |= set(re.findall(r"^\s*(?:attr|block|entries|output)\s+([a-z_]+)", t, re.M))
        for e in re.findall(r"enum\(([^)]*)\)", t):
            enums |= {x.strip() for x in e.split(",")}
    out = [
        "# libFuzzer dictionary of the Plat language, written by tests/fuzz/make_dict.py (do not edit;",
        "# tests/scripts/fuzz_dict.sh fails when a keyword, unit or kind of the sources is missing).",
        "",
        "# keywords and operators (grammar/Plat.g4)",
    ]
    out += [f"kw_{name.lower()}={quote(v)}" for name, v in keywords()]
    out += ["", "# units (compiler/ast/literals.cpp), on a number"]
    out += [f"unit_{'percent' if u == '%' else u}={quote('1' + u)}" for u in units()]
    out += ["", "# kinds (stdlib/kinds)"]
    out += [f"kind_{k}={quote(k)}" for k in kinds()]
    out += ["", "# attributes, blocks, entries and outputs of the kinds"]
    out += [quote(m) for m in sorted(members)]
    out += ["", "# enum values of the kinds"]
    out += [quote(e) for e in sorted(enums - members - set(kinds()))]
    out += ["", "# shapes of values: strings, interpolation, ranges, calls, engines, references"]
    out += [quote(s) for s in ['"""', "${", "${env.name}", "${env.domain}", " .. ", 'build("./app")', "push(main)",
                               "trivy(severity >= high)", "16.2.1", "postgres 16", "redis 7", "kafka 3.6",
                               "import std.sizes", ".url", ".host", ".port", ".password"]]
    return "\n".join(out) + "\n"


def entries(text):
    """The values of a dictionary's entries, unescaped."""
    values = set()
    for line in text.splitlines():
        m = re.match(r'^(?:[^"=#][^=]*=)?"(.*)"\s*$', line)
        if m:
            values.add(re.sub(r"\\(x[0-9a-fA-F]{2}|.)",
                              lambda e: chr(int(e.group(1)[1:], 16)) if e.group(1)[0] == "x" else e.group(1),
                              m.group(1)))
    return values


def check(path):
    have = entries(open(path, encoding="utf-8").read())
    missing = [f"keyword `{v}` ({n})" for n, v in keywords() if v not in have]
    missing += [f"unit `{u}`" for u in units() if "1" + u not in have]
    missing += [f"kind `{k}`" for k in kinds() if k not in have]
    if not keywords() or not units() or not kinds():
        print("make_dict.py: found no keywords, units or kinds: have the sources moved?")
        return 1
    for m in missing:
        print(f"{path}: missing {m}")
    if missing:
        print("regenerate it: python3 tests/fuzz/make_dict.py > tests/fuzz/plat.dict")
        return 1
    print(f"{path}: {len(keywords())} keywords, {len(units())} units and {len(kinds())} kinds present")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    sys.stdout.write(generate())
