// Checks Terraform root modules against the providers' published schemas, for the clouds whose
// provider binaries are not on the machine (google, azurerm): no `terraform validate` or `plan`
// can run for them, so this is the proof that what platc emits is what the provider accepts.
//
//   node tests/conformance/validate-terraform.mjs [--schemas DIR] [--no-fmt] [--dump FILE] <module dir>...
//
// --dump FILE writes the parsed module (one directory only) as JSON, { tf: { file: json },
// tfvars: { file: json } } in hcl2json's shape, for the policy and agreement checks in Python.
//
// For each directory (one root module, its `*.tf` and `*.tfvars`):
// - every file parses with HashiCorp's HCL parser (npm @cdktf/hcl2json, hcl/v2 compiled to wasm);
// - `terraform fmt -check` finds every file canonical;
// - every resource and data source type exists in the schema of its provider (the type's prefix;
//   tests/terraform-schemas/<provider>.json.gz, extracted by extract.mjs), every argument and
//   nested block exists there, read-only attributes are not set, required arguments and blocks are
//   set, blocks appear no more often than the schema allows, and every literal value has the
//   argument's type;
// - every reference points at something declared: `var.x`, `local.x`, `type.name.attr` and
//   `data.type.name.attr` (the attribute exists in the schema), no `module.` (root modules only);
// - every key of a `.tfvars` file is a declared variable, and a literal of the variable's type;
// - the providers' version constraints admit the version the schema was extracted from.
// Prints one line per finding (at most 60) and exits 1 when there is any; 2 on bad usage.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { getReferencesInExpression, parse } from '@cdktf/hcl2json';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let schemaDir = path.resolve(here, '../terraform-schemas');
let fmt = true;
let dump = null;
const dirs = [];
for (let k = 0; k < args.length; ++k) {
  if (args[k] === '--schemas') schemaDir = args[++k];
  else if (args[k] === '--no-fmt') fmt = false;
  else if (args[k] === '--dump') dump = args[++k];
  else dirs.push(args[k]);
}
if (dirs.length === 0 || (dump && dirs.length !== 1)) {
  console.error('usage: node validate-terraform.mjs [--schemas DIR] [--no-fmt] <module dir>...');
  process.exit(2);
}

// The schemas by provider local name (`google`), from the `provider` field of each file.
const schemas = {};
for (const f of fs.readdirSync(schemaDir).filter((x) => x.endsWith('.json.gz'))) {
  const s = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(schemaDir, f))));
  schemas[s.provider.split('/').pop()] = s;
}

// Terraform's own resource type and the backends' arguments (not in any provider's schema).
const BUILTIN = {
  terraform_data: {
    a: { input: ['any', 'o'], triggers_replace: ['any', 'o'], output: ['any', 'c'], id: ['string', 'c'] },
    b: {},
  },
};
const BACKENDS = {
  gcs: ['bucket', 'prefix', 'credentials', 'access_token', 'impersonate_service_account',
    'impersonate_service_account_delegates', 'encryption_key', 'kms_encryption_key', 'storage_custom_endpoint'],
  azurerm: ['storage_account_name', 'container_name', 'key', 'resource_group_name', 'subscription_id', 'tenant_id',
    'use_azuread_auth', 'use_oidc', 'use_cli', 'use_msi', 'use_aks_workload_identity', 'client_id', 'client_secret',
    'client_certificate', 'client_certificate_path', 'client_certificate_password', 'oidc_token', 'oidc_token_file_path',
    'oidc_request_url', 'oidc_request_token', 'ado_pipeline_service_connection_id', 'environment', 'metadata_host',
    'msi_endpoint', 'sas_token', 'access_key', 'snapshot', 'lookup_blob_endpoint', 'client_id_file_path',
    'client_secret_file_path'],
  s3: ['bucket', 'key', 'region', 'encrypt', 'use_lockfile', 'kms_key_id', 'dynamodb_table', 'profile', 'role_arn',
    'workspace_key_prefix', 'acl'],
  local: ['path', 'workspace_dir'],
};
const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

const findings = [];
let where = '';
const report = (msg) => findings.push(`${where}: ${msg}`);

// ---- values --------------------------------------------------------------------------------
const isExpr = (v) => typeof v === 'string' && v.includes('${');
const isWholeExpr = (v) => typeof v === 'string' && /^\$\{[\s\S]*\}$/.test(v) && v.indexOf('${', 2) === -1;
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Whether a literal value (as hcl2json gives it) can have Terraform type `t`; expressions are
// unknown until plan and pass, except a template with text around it, which is a string.
function typeProblem(t, v) {
  if (isWholeExpr(v) || v === null) return '';
  if (t === 'any' || t === 'dynamic') return '';
  const inner = (t.match(/^(?:list|set|map)\((.*)\)$/) ?? [])[1];
  if (t === 'string') return isObj(v) || Array.isArray(v) ? `a string is expected, not ${show(v)}` : '';
  if (t === 'number') {
    if (typeof v === 'number') return '';
    if (typeof v === 'string' && !isExpr(v) && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v)) return '';
    return `a number is expected, not ${show(v)}`;
  }
  if (t === 'bool') {
    if (typeof v === 'boolean' || v === 'true' || v === 'false') return '';
    return `a bool is expected, not ${show(v)}`;
  }
  if (t.startsWith('list(') || t.startsWith('set(')) {
    if (!Array.isArray(v)) return `a list is expected, not ${show(v)}`;
    for (const x of v) if (typeProblem(inner, x)) return `an element: ${typeProblem(inner, x)}`;
    return '';
  }
  if (t.startsWith('map(')) {
    if (!isObj(v)) return `a map is expected, not ${show(v)}`;
    for (const [k, x] of Object.entries(v)) if (typeProblem(inner, x)) return `key ${k}: ${typeProblem(inner, x)}`;
    return '';
  }
  if (t === 'object') return isObj(v) || Array.isArray(v) ? '' : `an object is expected, not ${show(v)}`;
  return '';
}
function show(v) {
  const s = JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

// A string as hcl2json gives it (a template, its escapes undone) back as an HCL quoted template:
// `\`, `"` and newlines escaped in the literal parts, the `${…}` parts as they are.
function quoteTemplate(s) {
  let out = '"';
  for (let k = 0; k < s.length; ) {
    if (s.startsWith('${', k)) {
      let depth = 0;
      let inString = false;
      let j = k;
      for (; j < s.length; ++j) {
        const ch = s[j];
        if (inString) {
          if (ch === '\\') ++j;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{') ++depth;
        else if (ch === '}' && --depth === 0) break;
      }
      out += s.slice(k, j + 1);
      k = j + 1;
      continue;
    }
    const ch = s[k++];
    out += ch === '"' ? '\\"' : ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch;
  }
  return out + '"';
}

// Every string in a value, for the references they hold.
function strings(v, out = []) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (isObj(v)) Object.values(v).forEach((x) => strings(x, out));
  return out;
}

// ---- bodies against schemas ----------------------------------------------------------------
// `body` is one block's object from hcl2json; `schema` its { a, b }; `meta` the names Terraform
// itself reads there. Nested blocks are arrays of objects; `dynamic "x"` blocks count as x.
function checkBody(body, schema, meta, pathText) {
  const seen = new Set();
  for (const [name, value] of Object.entries(body)) {
    if (meta.has(name)) continue;
    if (name === 'dynamic') {
      for (const [bname, list] of Object.entries(value)) {
        const bs = schema.b[bname];
        if (!bs) {
          report(`${pathText}: unknown nested block "${bname}" (dynamic)`);
          continue;
        }
        seen.add(bname);
        for (const d of list) for (const c of d.content ?? []) checkBody(c, bs, new Set(), `${pathText}.${bname}`);
      }
      continue;
    }
    if (schema.b[name]) {
      const bs = schema.b[name];
      seen.add(name);
      if (!Array.isArray(value) || !value.every(isObj)) {
        report(`${pathText}: "${name}" is a nested block, written as an attribute`);
        continue;
      }
      const [min, max] = bs.n;
      if (max > 0 && value.length > max) report(`${pathText}: block "${name}" appears ${value.length} times, at most ${max}`);
      if (value.length < min) report(`${pathText}: block "${name}" appears ${value.length} times, at least ${min}`);
      for (const item of value) checkBody(item, bs, new Set(), `${pathText}.${name}`);
      continue;
    }
    const a = schema.a[name];
    if (!a) {
      report(`${pathText}: unknown argument "${name}"`);
      continue;
    }
    seen.add(name);
    if (a[1] === 'c') {
      report(`${pathText}: "${name}" is read-only (computed), it cannot be set`);
      continue;
    }
    const p = typeProblem(a[0], value);
    if (p) report(`${pathText}: "${name}": ${p}`);
  }
  for (const [name, a] of Object.entries(schema.a))
    if (a[1] === 'r' && !seen.has(name)) report(`${pathText}: required argument "${name}" is not set`);
  for (const [name, bs] of Object.entries(schema.b))
    if (bs.n[0] > 0 && !seen.has(name)) report(`${pathText}: required block "${name}" is not set`);
}

// The schema of a resource or data source type, or null (reported).
function typeSchema(kind, type) {
  if (kind === 'resource' && BUILTIN[type]) return BUILTIN[type];
  const prov = type.split('_')[0];
  const s = schemas[prov];
  if (!s) {
    report(`no schema for provider "${prov}" of ${kind} type "${type}" (tests/terraform-schemas)`);
    return null;
  }
  const t = (kind === 'resource' ? s.resources : s.data_sources)[type];
  if (!t) report(`unknown ${kind === 'resource' ? 'resource' : 'data source'} type "${type}" (${s.provider} ${s.provider_version})`);
  return t ?? null;
}

// ---- version constraints ---------------------------------------------------------------------
const vparts = (v) => v.split('.').map((x) => parseInt(x, 10) || 0);
function cmp(a, b) {
  for (let k = 0; k < Math.max(a.length, b.length); ++k) if ((a[k] ?? 0) !== (b[k] ?? 0)) return (a[k] ?? 0) - (b[k] ?? 0);
  return 0;
}
function admits(constraint, version) {
  const v = vparts(version);
  return constraint.split(',').every((c) => {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*([0-9][0-9.]*)\s*$/.exec(c);
    if (!m) return false;
    const op = m[1] ?? '=';
    const w = vparts(m[2]);
    const d = cmp(v, w);
    if (op === '~>') {
      const n = m[2].split('.').length;
      const upper = w.slice(0, Math.max(1, n - 1));
      upper[upper.length - 1] += 1;
      return d >= 0 && cmp(v, upper) < 0;
    }
    return { '=': d === 0, '!=': d !== 0, '>': d > 0, '>=': d >= 0, '<': d < 0, '<=': d <= 0 }[op];
  });
}

// ---- one module ------------------------------------------------------------------------------
async function checkModule(dir) {
  const files = fs.readdirSync(dir).sort();
  const tf = {};
  const tfvars = {};
  for (const f of files) {
    if (!f.endsWith('.tf') && !f.endsWith('.tfvars')) continue;
    where = path.join(dir, f);
    try {
      const j = await parse(f, fs.readFileSync(path.join(dir, f), 'utf8'));
      (f.endsWith('.tf') ? tf : tfvars)[f] = j;
    } catch (e) {
      report(`does not parse: ${String(e.message ?? e).split('\n')[0].slice(0, 200)}`);
    }
  }
  if (dump) fs.writeFileSync(dump, JSON.stringify({ tf, tfvars }));
  if (Object.keys(tf).length === 0) {
    where = dir;
    report('no .tf file');
  }
  if (fmt) {
    where = dir;
    try {
      execFileSync('terraform', ['fmt', '-check', '-list=true', '-recursive=false', dir], { stdio: 'pipe' });
    } catch (e) {
      if (e.code === 'ENOENT') report('terraform is not on the PATH: `terraform fmt -check` cannot run');
      else
        for (const f of String(e.stdout).split('\n').filter(Boolean)) {
          where = f;
          report('not canonical (`terraform fmt` would rewrite it)');
        }
    }
  }

  // Declarations, by address.
  const resources = {}; // "type.name" -> { file, body }
  const datas = {};
  const ephemerals = {};
  const variables = {};
  const locals = {};
  const outputs = {};
  const dynamicLabels = new Set();
  for (const [f, j] of Object.entries(tf)) {
    for (const [top, v] of Object.entries(j)) {
      where = path.join(dir, f);
      if (top === 'resource' || top === 'data' || top === 'ephemeral') {
        const into = top === 'resource' ? resources : top === 'data' ? datas : ephemerals;
        for (const [type, byName] of Object.entries(v))
          for (const [name, list] of Object.entries(byName)) {
            if (into[`${type}.${name}`]) report(`${top} "${type}" "${name}" is declared twice`);
            into[`${type}.${name}`] = { file: f, body: list[0] };
          }
      } else if (top === 'variable') {
        for (const [name, list] of Object.entries(v)) variables[name] = { file: f, body: list[0] };
      } else if (top === 'locals') {
        for (const l of v) for (const [name, val] of Object.entries(l)) {
          if (name in locals) report(`local "${name}" is declared twice`);
          locals[name] = { file: f, value: val };
        }
      } else if (top === 'output') {
        for (const [name, list] of Object.entries(v)) outputs[name] = { file: f, body: list[0] };
      } else if (top === 'module') {
        report('a module call: only root modules without modules are checked');
      } else if (!['terraform', 'provider', 'moved', 'import', 'removed', 'check'].includes(top)) {
        report(`unknown top-level block "${top}"`);
      }
    }
    JSON.stringify(j, (k, val) => {
      if (k === 'dynamic' && isObj(val)) Object.keys(val).forEach((l) => dynamicLabels.add(l));
      return val;
    });
  }

  // terraform {}: providers with schemas that their constraints admit, a known backend.
  for (const [f, j] of Object.entries(tf))
    for (const t of j.terraform ?? []) {
      where = path.join(dir, f);
      for (const rp of t.required_providers ?? [])
        for (const [name, spec] of Object.entries(rp)) {
          const s = schemas[name];
          if (!s) {
            report(`required provider "${name}" has no schema in tests/terraform-schemas`);
            continue;
          }
          const source = spec.source ?? `hashicorp/${name}`;
          if (!s.provider.endsWith('/' + source)) report(`provider "${name}": source "${source}", the schema is of ${s.provider}`);
          if (spec.version && !admits(spec.version, s.provider_version))
            report(`provider "${name}": "${spec.version}" does not admit ${s.provider_version}, the version the schema is of`);
        }
      for (const [type, list] of Object.entries(t.backend ?? {})) {
        const known = BACKENDS[type];
        if (!known) report(`unknown backend "${type}"`);
        else for (const k of Object.keys(list[0] ?? {})) if (!known.includes(k)) report(`backend "${type}": unknown argument "${k}"`);
        for (const s of strings(list[0] ?? {})) if (isExpr(s)) report(`backend "${type}": a backend cannot hold expressions (${s})`);
      }
    }
  for (const [f, j] of Object.entries(tf))
    for (const [name, list] of Object.entries(j.provider ?? {})) {
      where = path.join(dir, f);
      const s = schemas[name];
      if (!s) report(`provider block "${name}" has no schema`);
      else for (const p of list) checkBody(p, s.provider_schema, new Set(['alias', 'version']), `provider.${name}`);
    }

  // Resources and data sources against their schemas.
  for (const [kind, decl, meta] of [['resource', resources, RESOURCE_META], ['data', datas, new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle'])]])
    for (const [addr, { file, body }] of Object.entries(decl)) {
      where = path.join(dir, file);
      const s = typeSchema(kind, addr.split('.')[0]);
      if (s) checkBody(body, s, meta, (kind === 'data' ? 'data.' : '') + addr);
    }
  for (const [name, { file, body }] of Object.entries(outputs)) {
    where = path.join(dir, file);
    if (!('value' in body)) report(`output "${name}" has no value`);
  }

  // References.
  const attrOf = (schema, steps) => {
    // steps: attribute path after the address, indexes dropped; true when the schema has it.
    let s = schema;
    for (const step of steps) {
      if (!s) return true;
      if (s.b?.[step]) { s = s.b[step]; continue; }
      const a = s.a?.[step];
      if (!a) return false;
      if (a[0] !== 'object' || !a[2]) return true; // a map or an object without known keys: any key
      s = { a: a[2], b: {} };
    }
    return true;
  };
  async function checkRefs(value, ctx, pathText) {
    for (const s of strings(value)) {
      if (!isExpr(s)) continue;
      const refs = await getReferencesInExpression(where, quoteTemplate(s)).catch(() => null);
      if (refs === null) {
        report(`${pathText}: an expression that does not parse: ${show(s)}`);
        continue;
      }
      for (const r of refs) {
        const parts = r.value.split('.');
        const steps = (from) => parts.slice(from).filter((x) => !/^[0-9]+$/.test(x) && x !== '*');
        const head = parts[0];
        const bad = (m) => report(`${pathText}: reference "${r.value}": ${m}`);
        if (head === 'var') { if (!(parts[1] in variables)) bad('no such variable'); }
        else if (head === 'local') { if (!(parts[1] in locals)) bad('no such local value'); }
        else if (head === 'each') { if (!ctx.forEach) bad('each. outside a block with for_each'); }
        else if (head === 'count') { if (!ctx.count) bad('count. outside a block with count'); }
        else if (['self', 'path', 'terraform'].includes(head) || dynamicLabels.has(head)) { /* Terraform's own */ }
        else if (head === 'module') bad('module outputs: only root modules without modules are checked');
        else if (head === 'data') {
          const d = datas[`${parts[1]}.${parts[2]}`];
          if (!d) bad('no such data source');
          else {
            const sc = schemas[parts[1].split('_')[0]]?.data_sources?.[parts[1]];
            const st = steps(3);
            if (sc && st.length && !attrOf(sc, st)) bad(`data source type "${parts[1]}" has no attribute "${st.join('.')}"`);
          }
        } else if (head === 'ephemeral') {
          if (!ephemerals[`${parts[1]}.${parts[2]}`]) bad('no such ephemeral resource');
        } else if (head.includes('_')) {
          const d = resources[`${parts[0]}.${parts[1]}`];
          if (!d) bad('no such resource');
          else {
            const sc = BUILTIN[parts[0]] ?? schemas[parts[0].split('_')[0]]?.resources?.[parts[0]];
            const st = steps(2);
            if (sc && st.length && !attrOf(sc, st)) bad(`resource type "${parts[0]}" has no attribute "${st.join('.')}"`);
          }
        } else bad('not a variable, local, resource or data source');
      }
    }
  }
  for (const [kind, decl] of [['resource', resources], ['data', datas], ['ephemeral', ephemerals]])
    for (const [addr, { file, body }] of Object.entries(decl)) {
      where = path.join(dir, file);
      const ctx = { count: 'count' in body, forEach: 'for_each' in body };
      const rest = { ...body };
      delete rest.lifecycle; // ignore_changes names the block's own attributes
      await checkRefs(rest, ctx, (kind === 'resource' ? '' : kind + '.') + addr);
    }
  for (const [name, { file, value }] of Object.entries(locals)) {
    where = path.join(dir, file);
    await checkRefs(value, {}, `local.${name}`);
  }
  for (const [name, { file, body }] of Object.entries(outputs)) {
    where = path.join(dir, file);
    await checkRefs(body, {}, `output.${name}`);
  }
  for (const [f, j] of Object.entries(tf))
    for (const [name, list] of Object.entries(j.provider ?? {})) {
      where = path.join(dir, f);
      await checkRefs(list, {}, `provider.${name}`);
    }
  for (const [name, { file, body }] of Object.entries(variables)) {
    where = path.join(dir, file);
    const t = (body.type ?? '${any}').replace(/^\$\{(.*)\}$/, '$1').replace(/\s+/g, '');
    if ('default' in body && typeProblem(t, body.default)) report(`variable "${name}": default: ${typeProblem(t, body.default)}`);
    if ('default' in body && strings(body.default).some(isExpr)) report(`variable "${name}": a default cannot hold expressions`);
  }

  // tfvars: declared variables only, values of their types.
  for (const [f, j] of Object.entries(tfvars)) {
    where = path.join(dir, f);
    for (const [k, v] of Object.entries(j)) {
      const decl = variables[k];
      if (!decl) {
        report(`"${k}" is not a declared variable`);
        continue;
      }
      const t = (decl.body.type ?? '${any}').replace(/^\$\{(.*)\}$/, '$1').replace(/\s+/g, '');
      if (strings(v).some(isExpr)) report(`"${k}": a .tfvars value cannot hold expressions`);
      else if (typeProblem(t, v)) report(`"${k}": ${typeProblem(t, v)} (variable type ${t})`);
    }
  }
  return {
    resources: Object.keys(resources).length,
    data: Object.keys(datas).length,
  };
}

let resourcesChecked = 0;
for (const dir of dirs) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    where = dir;
    report('not a directory');
    continue;
  }
  const r = await checkModule(dir);
  resourcesChecked += r.resources + r.data;
}
for (const f of findings.slice(0, 60)) console.log(f);
if (findings.length > 60) console.log(`... and ${findings.length - 60} more findings`);
if (findings.length) {
  console.log(`validate-terraform: ${findings.length} findings in ${dirs.length} modules`);
  process.exit(1);
}
console.log(`validate-terraform: ${dirs.length} modules, ${resourcesChecked} resources and data sources match the schemas of ` +
  Object.values(schemas).map((s) => `${s.provider.split('/').pop()} ${s.provider_version}`).join(', '));
