// Validates the GitHub Actions workflows platc writes (.github/workflows/*.yml of an output tree):
//   parser    GitHub's own parser, @actions/workflow-parser: parseWorkflow, then
//             convertWorkflowTemplate; any error or warning fails
//   security  top-level `permissions: {}`; every job with timeout-minutes and explicit permissions,
//             id-token: write only where a cloud login runs, security-events: write only where
//             SARIF is uploaded; every `uses:` pinned to a 40-hex commit; no pull_request_target;
//             no `${{ … }}` inside a `run:` script; concurrency on every deploy job (never
//             cancelled) and on build jobs; deploy jobs bound to an environment and never run on
//             pull requests; a plan job (a cloud login outside any environment) runs only on a pull
//             request of this repository, logs in only as a `-plan` identity, is cancelled by a newer
//             push, and never applies, pushes or deploys; `pull-requests: write` only on plan jobs
//   scripts   writes each `run:` script to --scripts DIR (for shellcheck, tests/scripts/github_actions.sh)
// Usage: node --import ./json-loader.mjs validate-workflows.mjs [--scripts DIR] FILE.yml...
// Prints one line per problem, `file: [check] message`; exit 1 on any.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { basename } from "node:path";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import YAML from "yaml";

const args = process.argv.slice(2);
let scriptsDir = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--scripts") scriptsDir = args[++i];
  else files.push(args[i]);
}
let problems = 0;
const problem = (file, check, msg) => {
  problems++;
  if (problems <= 200) console.log(`${file}: [${check}] ${msg}`);
};

const LOGIN = /^(aws-actions\/configure-aws-credentials|google-github-actions\/auth|azure\/login)@/;
const SARIF = /^github\/codeql-action\/upload-sarif@/;

for (const file of files) {
  const content = readFileSync(file, "utf8");
  // parser
  const parsed = parseWorkflow({ name: basename(file), content }, new NoOperationTraceWriter());
  for (const e of parsed.context.errors.getErrors()) problem(file, "parser", e.message);
  if (parsed.value) {
    const tpl = await convertWorkflowTemplate(parsed.context, parsed.value);
    for (const e of tpl.errors ?? []) problem(file, "parser", e.Message);
  } else {
    problem(file, "parser", "no workflow parsed");
  }
  // security
  const wf = YAML.parse(content, { version: "1.1" });
  if (!wf || typeof wf !== "object") { problem(file, "security", "not a mapping"); continue; }
  const on = wf.on ?? wf[true];
  const events = typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
  if (events.includes("pull_request_target")) problem(file, "security", "pull_request_target trigger");
  if (!wf.permissions || typeof wf.permissions !== "object" || Object.keys(wf.permissions).length !== 0)
    problem(file, "security", "top-level permissions is not {}");
  for (const [id, job] of Object.entries(wf.jobs ?? {})) {
    if (!Number.isInteger(job["timeout-minutes"])) problem(file, "security", `job ${id}: no timeout-minutes`);
    if (!job.permissions || typeof job.permissions !== "object")
      problem(file, "security", `job ${id}: no explicit permissions`);
    const perms = job.permissions ?? {};
    for (const [k, v] of Object.entries(perms))
      if (v === "write" && !["id-token", "security-events", "pull-requests"].includes(k))
        problem(file, "security", `job ${id}: ${k}: write`);
    const steps = job.steps ?? [];
    const logs_in = steps.some((s) => LOGIN.test(s.uses ?? ""));
    const uploads = steps.some((s) => SARIF.test(s.uses ?? ""));
    if ((perms["id-token"] === "write") !== logs_in)
      problem(file, "security", `job ${id}: id-token: write ${logs_in ? "missing for" : "without"} a cloud login`);
    if ((perms["security-events"] === "write") !== uploads)
      problem(file, "security", `job ${id}: security-events: write ${uploads ? "missing for" : "without"} a SARIF upload`);
    // A plan job: logs in without an environment, so its identity and its `if:` are all that
    // keep it read-only and off every other event.
    const plans = logs_in && !job.environment;
    if (perms["pull-requests"] === "write" && !plans)
      problem(file, "security", `job ${id}: pull-requests: write outside a plan job`);
    if (plans) {
      if (!/github\.event_name == 'pull_request'/.test(job.if ?? "") ||
          !/github\.event\.pull_request\.head\.repo\.full_name == github\.repository/.test(job.if ?? ""))
        problem(file, "security", `job ${id}: cloud login outside a GitHub environment, not limited to this repository's pull requests`);
      if (!job.concurrency || job.concurrency["cancel-in-progress"] !== true)
        problem(file, "security", `job ${id}: plan without a cancelling concurrency group`);
      for (const s of steps) {
        const w = s.with ?? {};
        const who = [w["role-to-assume"], w["service_account"], w["client-id"]].filter(Boolean).join(" ");
        if (LOGIN.test(s.uses ?? "") && !/(-plan$|-plan@|_PLAN_CLIENT_ID_)/.test(who))
          problem(file, "security", `job ${id}: plan job logs in as ${who}, not a plan identity`);
        if (/\b(terraform\s+apply|helm\s+(upgrade|install|rollback)|skopeo\s+copy|docker\s+push|kubectl\s+apply)\b/.test(s.run ?? ""))
          problem(file, "security", `job ${id}: plan job changes something: ${s.name}`);
        if (/\bsecrets\./.test(JSON.stringify(s.env ?? {}) + JSON.stringify(w)))
          problem(file, "security", `job ${id}: plan job reads a secret`);
      }
    }
    const deploys = logs_in && !plans;
    if (deploys) {
      if (!job.environment) problem(file, "security", `job ${id}: cloud login outside a GitHub environment`);
      if (!job.concurrency || job.concurrency["cancel-in-progress"] !== false)
        problem(file, "security", `job ${id}: deploy without a concurrency group that never cancels`);
      if (!/github\.event_name != 'pull_request'/.test(job.if ?? ""))
        problem(file, "security", `job ${id}: deploy job may run on a pull request`);
    }
    if (id.startsWith("build-") && (!job.concurrency || job.concurrency["cancel-in-progress"] !== true))
      problem(file, "security", `job ${id}: build without a cancelling concurrency group`);
    steps.forEach((s, n) => {
      if (s.uses && !s.uses.startsWith("./") && !/@[0-9a-f]{40}$/.test(s.uses))
        problem(file, "security", `job ${id} step ${n + 1}: ${s.uses} is not pinned to a commit`);
      if (typeof s.run === "string") {
        if (s.run.includes("${{")) problem(file, "security", `job ${id} step ${n + 1}: expression inside run:`);
        if (scriptsDir) {
          mkdirSync(scriptsDir, { recursive: true });
          const shell = s.shell ?? job.defaults?.run?.shell ?? wf.defaults?.run?.shell ?? "bash";
          // GitHub runs `bash -e {0}` (set -e) by default; shellcheck reads the directive.
          writeFileSync(`${scriptsDir}/${basename(file, ".yml")}.${id}.${n + 1}.sh`,
            `#!/usr/bin/env ${shell}\n# shellcheck shell=${shell}\nset -e\n` +
            s.run.replace(/\$\{\{[^}]*\}\}/g, "PLACEHOLDER") + "\n");
        }
      }
    });
  }
}
console.log(`${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
