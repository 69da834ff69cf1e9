#!/usr/bin/env node
// Proves validate-k8s.mjs can fail: fixtures/good must validate with no problem at all, and every
// fixtures/broken/<case>/ must be reported with exactly the problems its expect.json lists
// (check, JSON pointer, substring of the message) and nothing else. Also runs the command line
// entry point on both to check its exit status. Prints "self-test: N passed, N failed".
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { validate, format, main } from "./validate-k8s.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const good = join(here, "fixtures", "good");
const brokenRoot = join(here, "fixtures", "broken");
const cases = readdirSync(brokenRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const rel = (p) => relative(process.cwd(), p) || p;

let passed = 0, failed = 0;
const ok = (what) => { passed++; console.log(`ok   ${what}`); };
const bad = (what, details = []) => { failed++; console.log(`FAIL ${what}`); for (const d of details) console.log(`       ${d}`); };

// One run over everything, so the TypeScript program is built once.
const { problems } = await validate([good, ...cases.map((c) => join(brokenRoot, c))]);
const under = (dir) => problems.filter((p) => p.file.startsWith(rel(dir) + "/") || p.file === rel(dir));

const goodProblems = under(good);
if (goodProblems.length === 0) ok("fixtures/good validates clean");
else bad("fixtures/good must validate clean", goodProblems.map(format));

for (const c of cases) {
  const dir = join(brokenRoot, c);
  const expected = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8"));
  const got = under(dir);
  const matches = (p, e) => p.check === e.check && p.path === e.path && p.message.includes(e.match);
  const missing = expected.filter((e) => !got.some((p) => matches(p, e)));
  const unexpected = got.filter((p) => !expected.some((e) => matches(p, e)));
  if (got.length > 0 && missing.length === 0 && unexpected.length === 0) ok(`broken/${c} fails as expected (${[...new Set(got.map((p) => p.check))].join(", ")})`);
  else {
    bad(`broken/${c}`, [
      ...missing.map((e) => `expected, not reported: [${e.check}] ${e.path ?? ""} ~ ${e.match}`),
      ...unexpected.map((p) => `reported, not expected: ${format(p)}`),
    ]);
  }
}

// The command line: exit 0 on the good tree, 1 on a broken one (its output is not shown).
const log = console.log;
const status = async (args) => { console.log = () => {}; try { return await main(args); } finally { console.log = log; } };
(await status([good])) === 0 ? ok("validate-k8s exits 0 on fixtures/good") : bad("validate-k8s exits 0 on fixtures/good");
(await status([join(brokenRoot, "typo-field")])) === 1 ? ok("validate-k8s exits 1 on a broken tree") : bad("validate-k8s exits 1 on a broken tree");

console.log(`self-test: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
