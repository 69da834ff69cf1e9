#!/usr/bin/env python3
"""The layering check: a stage's files include only headers of its own folder and of the stages
it declares in CMakeLists.txt's stage table (docs/architecture.md, "The library graph").

Run by the build once per stage (cmake/stages.cmake), before the stage compiles:
    check_layering.py --table build/release/layering/stages.json --root . --stage graph --stamp S
or over every stage and every file under the stages' top folders (tests/scripts/layering.sh):
    check_layering.py --table build/release/layering/stages.json --root . --all

Rules, for each `#include` line of each .cpp/.h/.def of a stage:
  - "path" must name a file of the source tree, relative to its root, that belongs to a stage;
  - that stage must be the stage itself or one of its DEPS (direct dependencies only: a stage
    that needs another's headers declares it);
  - a header named internal.h is private to its stage's folder, even for dependents;
  - ANTLR's headers and the headers generated from grammar/Plat.g4 (PlatLexer.h, PlatParser.h,
    ...) only in a stage marked ANTLR (parse).
Angle-bracket includes other than ANTLR's are third-party or system headers: not checked.
Prints one line per violation (file:line: ...) and exits 1; writes the stamp and exits 0 otherwise.
"""
import argparse
import json
import os
import re
import sys

EXTENSIONS = (".cpp", ".h", ".def")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
# The C++ target of grammar/Plat.g4 (grammar name Plat): ANTLR writes these into the build tree.
GENERATED = re.compile(r"^Plat(Lexer|Parser|Visitor|BaseVisitor|Listener|BaseListener)\.h$")
PRIVATE_HEADERS = ("internal.h",)


def is_antlr(path):
    return path.split("/")[0].startswith("antlr4") or GENERATED.match(path) is not None


class Table:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.stages = {s["name"]: s for s in json.load(f)["stages"]}

    def owner(self, rel):
        """The stage whose folder holds `rel` (a path relative to the root), or None."""
        parent = os.path.dirname(rel)
        best = None
        for s in self.stages.values():
            d = s["dir"]
            if s["flat"]:
                hit = parent == d
            else:
                hit = rel.startswith(d + "/")
            if hit and (best is None or len(d) > len(best["dir"])):
                best = s
        return best

    def files(self, root, stage):
        base = os.path.join(root, stage["dir"])
        out = []
        if stage["flat"]:
            if os.path.isdir(base):
                out = [os.path.join(base, n) for n in os.listdir(base)]
        else:
            for d, _, names in os.walk(base):
                out += [os.path.join(d, n) for n in names]
        rels = [os.path.relpath(p, root).replace(os.sep, "/") for p in out]
        return sorted(r for r in rels if r.endswith(EXTENSIONS) and os.path.isfile(os.path.join(root, r)))


def check_stage(table, root, stage):
    errors = []
    name = stage["name"]
    allowed = [name] + list(stage["deps"])
    may = ", ".join(sorted(set(allowed)))
    for rel in table.files(root, stage):
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        for no, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quote, inc = m.groups()
            where = f"{rel}:{no}"
            if is_antlr(inc):
                if not stage["antlr"]:
                    errors.append(f'{where}: error: stage {name} includes "{inc}", an ANTLR or generated parser '
                                  f"header: only the stage marked ANTLR (parse) sees them")
                continue
            if quote == "<":
                continue
            if not os.path.isfile(os.path.join(root, inc)):
                errors.append(f'{where}: error: stage {name} includes "{inc}", which is not a file of the source '
                              f"tree (quoted includes are relative to the repository root)")
                continue
            target = table.owner(inc)
            if target is None:
                errors.append(f'{where}: error: stage {name} includes "{inc}", which belongs to no stage')
            elif target["name"] not in allowed:
                errors.append(f'{where}: error: stage {name} includes "{inc}" of stage {target["name"]}, which it '
                              f"does not depend on ({name} may include: {may}; see the stage table in "
                              f"CMakeLists.txt and docs/architecture.md)")
            elif target["name"] != name and os.path.basename(inc) in PRIVATE_HEADERS:
                errors.append(f'{where}: error: stage {name} includes "{inc}", which is private to stage '
                              f'{target["name"]}')
    return errors


def check_coverage(table, root):
    """Every C++ file under the stages' top folders belongs to a stage."""
    errors = []
    tops = sorted({s["dir"].split("/")[0] for s in table.stages.values()})
    for top in tops:
        for d, _, names in os.walk(os.path.join(root, top)):
            for n in sorted(names):
                rel = os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/")
                if rel.endswith(EXTENSIONS) and table.owner(rel) is None:
                    errors.append(f"{rel}: error: belongs to no stage (add a platc_stage line for its folder)")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", required=True, help="stages.json written by cmake/stages.cmake")
    ap.add_argument("--root", required=True, help="the source tree")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", help="check this stage")
    which.add_argument("--all", action="store_true", help="check every stage, and that every file has one")
    ap.add_argument("--stamp", help="file to write when the check passes")
    args = ap.parse_args()

    table = Table(args.table)
    if args.all:
        errors = check_coverage(table, args.root)
        for s in table.stages.values():
            errors += check_stage(table, args.root, s)
    else:
        if args.stage not in table.stages:
            sys.exit(f"check_layering: no stage {args.stage} in {args.table}")
        errors = check_stage(table, args.root, table.stages[args.stage])
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_layering: {len(errors)} layering error(s)", file=sys.stderr)
        return 1
    if args.stamp:
        os.makedirs(os.path.dirname(os.path.abspath(args.stamp)), exist_ok=True)
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
