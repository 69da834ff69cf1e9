// node validate.js SCHEMA FILE… — validates SARIF files with ajv (JSON Schema 2020-12) and checks
// what GitHub code scanning relies on. Prints one line per problem; exits 1 on any.
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
// The published schema names itself with draft-04's `id`; 2020-12 spells it `$id`.
if (schema.id && !schema.$id) { schema.$id = schema.id; delete schema.id; }
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
let failed = 0;
const fail = (file, msg) => { failed++; console.log(`FAIL ${file}: ${msg}`); };
for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!validate(doc)) {
    for (const e of validate.errors.slice(0, 10)) fail(file, `${e.instancePath} ${e.message}`);
    continue;
  }
  if (doc.version !== "2.1.0") fail(file, "version is not 2.1.0");
  const run = doc.runs[0];
  const rules = run.tool.driver.rules;
  for (const r of rules) {
    if (!r.id || !r.shortDescription || !r.shortDescription.text) fail(file, `rule without id or short description`);
    if (r.id.startsWith("P") && !(r.help && r.help.text)) fail(file, `rule ${r.id} has no help`);
  }
  for (const res of run.results) {
    if (rules[res.ruleIndex].id !== res.ruleId) fail(file, `ruleIndex of ${res.ruleId} points at another rule`);
    const loc = res.locations[0];
    if (!loc) continue;
    const reg = loc.physicalLocation.region;
    if (!(reg.startLine >= 1 && reg.startColumn >= 1)) fail(file, `${res.ruleId}: region without a start`);
    if (loc.physicalLocation.artifactLocation.uri.startsWith("/")) fail(file, `${res.ruleId}: absolute uri`);
  }
  console.log(`ok ${file.split("/").pop()}: ${run.results.length} results, ${rules.length} rules`);
}
process.exit(failed ? 1 : 0);
