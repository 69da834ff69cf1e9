#!/usr/bin/env bash
# The DOT form of `platc graph` renders with Graphviz: the flagship's production graph becomes an
# SVG holding every node, and every example renders in every environment and target.
# Needs `dot` (Debian `graphviz`, scripts/install-deps); fails without it.
# Usage: tests/scripts/graphviz.sh PATH/TO/platc
set -uo pipefail
platc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=graphviz
. "$(dirname "$0")/lib/suite.sh"

if ! command -v dot >/dev/null; then
  bad "Graphviz's dot is not installed (scripts/install-deps installs graphviz)"
  echo "graphviz: $passed passed, $failed failed"
  exit 1
fi

# render EXAMPLE ENV TARGET: graph → DOT → SVG; the SVG must name every node of the JSON graph.
render() {
  local dir=$1 env=$2 target=$3 name
  name="$(basename "$dir").$env${target:+.$target}"
  local args=("$dir" --env "$env")
  [ -n "$target" ] && args+=(--target "$target")
  if ! "$platc" graph "${args[@]}" >"$work/$name.dot" 2>"$work/$name.err"; then
    bad "$name: platc graph failed"; head -20 "$work/$name.err"; return
  fi
  if ! dot -Tsvg "$work/$name.dot" -o "$work/$name.svg" 2>"$work/$name.doterr"; then
    bad "$name: dot -Tsvg failed"; head -20 "$work/$name.doterr"; return
  fi
  # Graphviz warnings (bad attributes, HTML label trouble) count as failures too.
  if [ -s "$work/$name.doterr" ]; then
    bad "$name: dot warned"; head -20 "$work/$name.doterr"; return
  fi
  if ! "$platc" graph --format json "${args[@]}" >"$work/$name.json" 2>/dev/null; then
    bad "$name: platc graph --format json failed"; return
  fi
  if python3 - "$work/$name.json" "$work/$name.svg" <<'EOF'; then ok; else bad "$name: the SVG lacks nodes"; fi
import html, json, sys
g = json.load(open(sys.argv[1]))
svg = open(sys.argv[2], encoding="utf-8").read()
missing = [n["id"] for n in g["nodes"] if f"<title>{html.escape(n['id'], quote=False)}</title>" not in svg]
if not g["nodes"] or missing:
    print("  missing:", ", ".join(missing) or "(no nodes)")
    sys.exit(1)
EOF
}

# The flagship in production: the picture the issue asks for.
render "$root/examples/ohmycoins" production ""
grep -q 'ohmycoins · production · aws' "$work/ohmycoins.production.svg" 2>/dev/null && ok || bad "the flagship's SVG has its title"

# Every example, every environment, every target.
for dir in "$root"/examples/*/; do
  dir=${dir%/}
  ls "$dir"/*.plat >/dev/null 2>&1 || continue
  if ! "$platc" graph --format json "$dir" >"$work/meta.json" 2>"$work/meta.err"; then
    bad "$(basename "$dir"): platc graph failed"; head -20 "$work/meta.err"; continue
  fi
  read -r -a envs < <(python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); print(" ".join(n["name"] for n in g["nodes"] if n["kind"]=="environment") or g["environment"])' "$work/meta.json")
  read -r -a targets < <(python3 -c '
import json,sys
g = json.load(open(sys.argv[1]))
p = [n for n in g["nodes"] if n["kind"] == "platform"]
t = p[0]["attributes"].get("targets") if p else None
print(" ".join(i["value"] for i in t["value"]["items"]) if t else "")' "$work/meta.json")
  [ ${#targets[@]} -eq 0 ] && targets=("")
  for env in "${envs[@]}"; do
    for target in "${targets[@]}"; do render "$dir" "$env" "$target"; done
  done
done

# Deterministic: the same input gives the same bytes.
"$platc" graph "$root/examples/ohmycoins" --env production >"$work/again.dot" 2>/dev/null
cmp -s "$work/again.dot" "$work/ohmycoins.production.dot" && ok || bad "two runs of platc graph differ"

echo "graphviz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
