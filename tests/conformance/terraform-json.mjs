// Prints the `.tf` files of one module directory as JSON, parsed by HashiCorp's HCL parser (npm
// @cdktf/hcl2json): { "<file>": <hcl2json of it> }, for the Python assertions of
// tests/scripts/lib/terraform_azure_check.py. Exits 1 when a file does not parse.
//
//   node tests/conformance/terraform-json.mjs <module dir>
import fs from 'node:fs';
import path from 'node:path';

import { parse } from '@cdktf/hcl2json';

const dir = process.argv[2];
const out = {};
for (const f of fs.readdirSync(dir).sort().filter((x) => x.endsWith('.tf'))) {
  try {
    out[f] = await parse(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  } catch (e) {
    console.error(`${path.join(dir, f)}: does not parse: ${String(e.message ?? e).split('\n')[0]}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
