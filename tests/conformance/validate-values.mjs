// Validates a Helm chart's values the way `helm install -f values-<env>.yaml` does: the chart's
// values.yaml, then values.yaml with each values-<env>.yaml laid over it (Helm's coalescing: maps
// merge, anything else is replaced, null deletes a key), each against the chart's
// values.schema.json, with ajv (JSON Schema draft-07, as Helm reads it).
//   node validate-values.mjs CHART_DIR [VALUES_FILE...]   (default: every values-*.yaml)
// Exit 1 with one line per problem: "<file>: <instance path> <message>".
import Ajv from "ajv";
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import YAML from "yaml";

export function coalesce(user, chart) {
  if (!isMap(user) || !isMap(chart)) return user === undefined ? chart : user;
  const out = {};
  for (const [k, v] of Object.entries(chart)) {
    if (!(k in user)) out[k] = v;
    else if (user[k] === null) continue; // a user null deletes the chart's default
    else out[k] = isMap(v) && isMap(user[k]) ? coalesce(user[k], v) : user[k];
  }
  for (const [k, v] of Object.entries(user)) if (!(k in chart) && v !== null) out[k] = v;
  return out;
}
const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// YAML 1.1-free reading, as Helm's sigs.k8s.io/yaml does for values (every file we write is
// unambiguous in both; the conformance check of that is validate-k8s.mjs's job).
const load = (file) => YAML.parse(readFileSync(file, "utf8")) ?? {};

export function validateChart(chart, files) {
  const schema = JSON.parse(readFileSync(join(chart, "values.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  const check = ajv.compile(schema);
  const problems = [];
  const base = load(join(chart, "values.yaml"));
  const run = (label, values) => {
    if (!check(values)) for (const e of check.errors) problems.push(`${label}: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
  };
  run(join(chart, "values.yaml"), base);
  for (const f of files) run(f, coalesce(load(f), base));
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [chart, ...rest] = process.argv.slice(2);
  if (!chart) {
    console.error("usage: node validate-values.mjs CHART_DIR [VALUES_FILE...]");
    process.exit(2);
  }
  const files = rest.length ? rest : readdirSync(chart).filter((f) => /^values-.+\.ya?ml$/.test(f)).sort().map((f) => join(chart, f));
  const problems = validateChart(chart, files);
  for (const p of problems) console.log(p);
  if (!problems.length) console.log(`ok ${basename(chart)}: values.yaml and ${files.length} environment file(s)`);
  process.exit(problems.length ? 1 : 0);
}
