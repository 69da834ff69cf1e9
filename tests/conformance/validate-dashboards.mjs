// Validates the Grafana dashboards platc writes (ConfigMaps labelled grafana_dashboard), offline:
//  [types]  each dashboard JSON model type-checks as Grafana's own `Dashboard` type
//           (@grafana/schema, TypeScript strict: wrong types, missing fields and unknown fields
//           fail), and each panel query as its datasource's query type (CloudWatchMetricsQuery,
//           CloudMonitoringQuery, AzureMonitorQuery from @grafana/schema; Prometheus queries, which
//           @grafana/schema does not type, as DataQuery plus Grafana's expr/legendFormat/range);
//  [promql] every Prometheus expression parses with Prometheus' own PromQL grammar
//           (@prometheus-io/lezer-promql), and so does every PrometheusRule expr in the same files;
//  [layout] panel ids are unique, every panel fits the 24-column grid, and every datasource uid
//           `${var}` names a datasource variable of that datasource type.
//   node validate-dashboards.mjs DIR...      exit 1 with "<file>: <dashboard>: [check] message"
import { parser as promql } from "@prometheus-io/lezer-promql";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import YAML from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

const QUERY_TYPES = {
  cloudwatch: "CloudWatchMetricsQuery",
  stackdriver: "CloudMonitoringQuery",
  "grafana-azure-monitor-datasource": "AzureMonitorQuery",
  prometheus: "PromQuery",
};

export function promqlErrors(expr) {
  const tree = promql.parse(expr);
  const errors = [];
  tree.iterate({ enter(n) { if (n.type.isError) errors.push(n.from); } });
  return errors.length ? [`does not parse at offset ${errors[0]}: ${JSON.stringify(expr)}`] : [];
}

function yamlFiles(dir) {
  const out = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(f)) out.push(p);
  }
  return out;
}

export function validate(dirs) {
  const problems = [];
  const dashboards = [];
  for (const dir of dirs)
    for (const file of yamlFiles(dir))
      for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS())) {
        if (!doc || typeof doc !== "object") continue;
        if (doc.kind === "PrometheusRule")
          for (const g of doc.spec?.groups ?? []) for (const r of g.rules ?? [])
            for (const m of promqlErrors(String(r.expr))) problems.push(`${file}: rule ${r.alert}: [promql] ${m}`);
        if (doc.kind !== "ConfigMap" || doc.metadata?.labels?.grafana_dashboard === undefined) continue;
        for (const [key, text] of Object.entries(doc.data ?? {})) {
          let model;
          try { model = JSON.parse(text); } catch (e) { problems.push(`${file}: ${key}: [json] ${e.message}`); continue; }
          dashboards.push({ file, key, model });
        }
      }
  for (const { file, key, model } of dashboards) {
    const where = `${file}: ${key}`;
    const vars = new Map((model.templating?.list ?? []).filter((v) => v.type === "datasource").map((v) => [v.name, v.query]));
    const ids = new Set();
    for (const p of model.panels ?? []) {
      if (ids.has(p.id)) problems.push(`${where}: [layout] panel id ${p.id} is not unique`);
      ids.add(p.id);
      const g = p.gridPos ?? {};
      if (!(g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24)) problems.push(`${where}: [layout] panel ${p.id} does not fit the grid: ${JSON.stringify(g)}`);
      if (p.type === "row") continue;
      const m = /^\$\{(\w+)\}$/.exec(p.datasource?.uid ?? "");
      if (!m || vars.get(m[1]) !== p.datasource?.type) problems.push(`${where}: [layout] panel ${p.id}: datasource ${JSON.stringify(p.datasource)} is no datasource variable of that type`);
      for (const t of p.targets ?? [])
        if (p.datasource?.type === "prometheus") for (const e of promqlErrors(String(t.expr))) problems.push(`${where}: panel ${p.id}: [promql] ${e}`);
    }
  }
  problems.push(...typeCheck(dashboards));
  return { problems, count: dashboards.length };
}

function typeCheck(dashboards) {
  if (!dashboards.length) return [];
  const raw = "@grafana/schema/dist/esm/raw/composable";
  let text = `import type { Dashboard, DataQuery } from "@grafana/schema";
import type { CloudWatchMetricsQuery } from "${raw}/cloudwatch/dataquery/x/CloudWatchDataQuery_types.gen";
import type { CloudMonitoringQuery } from "${raw}/googlecloudmonitoring/dataquery/x/GoogleCloudMonitoringDataQuery_types.gen";
import type { AzureMonitorQuery } from "${raw}/azuremonitor/dataquery/x/AzureMonitorDataQuery_types.gen";
// Grafana's Prometheus query model (public/app/plugins/datasource/prometheus/types.ts): not in @grafana/schema.
interface PromQuery extends DataQuery { expr: string; legendFormat?: string; range?: boolean; instant?: boolean; interval?: string; }
`;
  const spans = [];
  dashboards.forEach(({ file, key, model }, i) => {
    const start = text.length;
    // The queries are checked by their datasource's type below, not as Dashboard's open targets.
    const bare = { ...model, panels: (model.panels ?? []).map(({ targets, ...p }) => p) };
    text += `export const d${i}: Dashboard = ${JSON.stringify(bare, null, 2)};\n`;
    (model.panels ?? []).forEach((p, j) => (p.targets ?? []).forEach((t, k) => {
      const type = QUERY_TYPES[p.datasource?.type] ?? "never";
      text += `export const d${i}_p${j}_t${k}: ${type} = ${JSON.stringify(t, null, 2)};\n`;
    }));
    spans.push([start, text.length, `${file}: ${key}`]);
  });
  const fileName = join(here, "__dashboards__.ts");
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, ...rest) => (resolve(f) === fileName ? ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true) : getSourceFile.call(host, f, ...rest));
  host.fileExists = (f) => resolve(f) === fileName || fileExists.call(host, f);
  host.readFile = (f) => (resolve(f) === fileName ? text : readFile.call(host, f));
  const program = ts.createProgram([fileName], options, host);
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => {
    const span = d.start === undefined ? null : spans.find(([a, b]) => d.start >= a && d.start < b);
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${span ? span[2] : "(typescript)"}: [types] ${ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ")} (generated line ${line})`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2);
  if (!dirs.length) { console.error("usage: node validate-dashboards.mjs DIR..."); process.exit(2); }
  const { problems, count } = validate(dirs);
  for (const p of problems) console.log(p);
  console.log(`validate-dashboards: ${count} dashboards, ${problems.length} problems${problems.length ? "" : " - ok"}`);
  process.exit(problems.length ? 1 : 0);
}
