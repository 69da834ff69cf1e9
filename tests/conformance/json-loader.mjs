// Node 20 refuses `import x from "./file.json"` without an import attribute, which
// @actions/workflow-parser's dist does: this hook loads such files as modules exporting the JSON.
// Used as `node --import ./json-loader.mjs …`.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
import { readFile } from "node:fs/promises";
export async function load(url, context, next) {
  if (url.endsWith(".json") && url.includes("/@actions/")) {
    const text = await readFile(new URL(url), "utf8");
    return { format: "module", source: "export default " + text + ";", shortCircuit: true };
  }
  return next(url, context);
}
`),
);
