// Regenerates the compact provider schemas the Terraform checker reads (tf_schema_check.mjs), from
// the jsii type metadata of the prebuilt CDKTF provider packages on npm. Run it once by hand when
// a provider is moved to a newer version; CI never installs these packages (hundreds of MB).
//
//   mkdir /tmp/tfschemas && cd /tmp/tfschemas
//   npm pack @cdktf/provider-google@16.12.1 @cdktf/provider-azurerm@14.23.1
//   for p in google azurerm; do mkdir $p && tar -xzf cdktf-provider-$p-*.tgz -C $p; done
//   node <repo>/tests/terraform-schemas/extract.mjs /tmp/tfschemas/google/package <repo>/tests/terraform-schemas/google.json.gz
//
// What the jsii metadata says, and how it is read:
// - a class whose summary is `Represents a {@link .../docs/resources/<name> <type>}` is a resource
//   (`/data-sources/`: a data source; `/docs ` of the provider itself: the provider block); its
//   initializer's third parameter is its Config struct;
// - a Config (or nested block) struct's properties are its arguments and nested blocks, each
//   linking the Terraform name (`…#<snake_name> …`); `optional` absent means required;
// - a property typed as a struct whose summary is `<name> block.` is a nested block: a single
//   struct is a block of at most one (cdktf's rendering of max_items = 1), an array of structs
//   any number; a required block needs at least one;
// - the class's read-only getters without an `…Input` twin are the computed-only attributes, and
//   the getters of a block's OutputReference class its computed ones (what `type.name.attr` may
//   read).
// Output: { provider, provider_version, package, package_version, provider_schema, resources,
// data_sources }, each schema { a: { name: [type, "r"|"o"|"c"] }, b: { name: { n: [min, max],
// a, b } } } with max 0 for unbounded; types are string, number, bool, any, list(T), map(T),
// object.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [pkgDir, outFile] = process.argv.slice(2);
if (!pkgDir || !outFile) {
  console.error('usage: node extract.mjs <unpacked package dir> <out.json.gz>');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const jsii = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8'));
const types = jsii.types;

const snake = (camel) => camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
function tfName(prop) {
  const m = /#([a-z0-9_]+) /.exec(prop.docs?.remarks ?? '');
  return m ? m[1] : snake(prop.name);
}

// A jsii type reference without the IResolvable alternative cdktf adds everywhere.
function strip(t) {
  if (t.union) {
    const rest = t.union.types.filter((x) => x.fqn !== 'cdktf.IResolvable');
    return rest.length === 1 ? strip(rest[0]) : { union: rest };
  }
  return t;
}

function typeOf(t) {
  t = strip(t);
  if (t.primitive) return t.primitive === 'boolean' ? 'bool' : t.primitive === 'json' ? 'any' : t.primitive;
  if (t.collection) return (t.collection.kind === 'map' ? 'map(' : 'list(') + typeOf(t.collection.elementtype) + ')';
  if (t.fqn && types[t.fqn]?.datatype) return 'object';
  if (t.fqn === 'cdktf.StringMap') return 'map(string)';
  if (t.fqn === 'cdktf.NumberMap') return 'map(number)';
  if (t.fqn === 'cdktf.BooleanMap') return 'map(bool)';
  if (t.fqn === 'cdktf.AnyMap') return 'map(any)';
  if (t.fqn === 'cdktf.StringList' || t.fqn === 'cdktf.StringListList') return 'list(string)';
  if (t.fqn === 'cdktf.NumberList' || t.fqn === 'cdktf.NumberListList') return 'list(number)';
  if (t.fqn === 'cdktf.BooleanList') return 'list(bool)';
  if (t.fqn === 'cdktf.IResolvable') return 'any';
  if (t.union) return 'any';
  return 'object';
}

// The struct a block property holds, and whether it is one (max 1) or many.
function blockOf(prop) {
  const t = strip(prop.type);
  if (!/ block\.$/.test(prop.docs?.summary ?? '')) return null;
  if (t.fqn && types[t.fqn]?.datatype) return { fqn: t.fqn, single: true };
  if (t.collection?.kind === 'array' && t.collection.elementtype.fqn) return { fqn: t.collection.elementtype.fqn, single: false };
  return null;
}

// Computed attributes of a class (resource or OutputReference): read-only getters without an
// `…Input` twin. Getters whose type is another OutputReference or List class are computed
// objects; their attributes are read one level deeper so `a[0].b` can be checked.
function computedOf(fqn, depth = 0) {
  const cls = types[fqn];
  const out = {};
  if (!cls || depth > 4) return out;
  const props = cls.properties ?? [];
  const names = new Set(props.map((p) => p.name));
  for (const p of props) {
    if (p.static || !p.immutable || p.name.endsWith('Input') || names.has(p.name + 'Input')) continue;
    if (p.name === 'internalValue' || p.name === 'fqn' || p.name === 'terraformResourceType') continue;
    const t = p.type.fqn;
    if (t && !t.startsWith('cdktf.') && types[t]?.kind === 'class') {
      // `…List` classes: get(index) returns the OutputReference.
      const ref = t.endsWith('List') ? t.replace(/List$/, 'OutputReference') : t;
      out[snake(p.name)] = ['object', 'c', computedOf(ref, depth + 1)];
    } else {
      out[snake(p.name)] = [typeOf(p.type), 'c'];
    }
  }
  return out;
}

// An argument struct (Config or nested block) and the class that reads it back.
function schemaOf(structFqn, refFqn, depth = 0) {
  const st = types[structFqn];
  const a = {};
  const b = {};
  for (const p of st.properties ?? []) {
    const name = tfName(p);
    const blk = blockOf(p);
    if (blk) {
      const refClass = blk.single ? blk.fqn + 'OutputReference' : blk.fqn + 'OutputReference';
      const inner = depth < 12 ? schemaOf(blk.fqn, refClass, depth + 1) : { a: {}, b: {} };
      b[name] = { n: [p.optional ? 0 : 1, blk.single ? 1 : 0], a: inner.a, b: inner.b };
    } else {
      a[name] = [typeOf(p.type), p.optional ? 'o' : 'r'];
    }
  }
  if (refFqn)
    for (const [name, v] of Object.entries(computedOf(refFqn)))
      if (!(name in a) && !(name in b)) a[name] = v;
  const out = { a, b };
  return out;
}

const META = new Set(['count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'connection', 'provisioners']);
const resources = {};
const dataSources = {};
let providerSchema = null;
const linkRe = /\{@link https:\/\/registry\.terraform\.io\/providers\/[^ ]+\/docs(?:\/(resources|data-sources)\/[a-z0-9_]+)? ([a-z0-9_]+)\}/;
for (const [fqn, t] of Object.entries(types)) {
  if (t.kind !== 'class' || !t.initializer) continue;
  const m = linkRe.exec(t.docs?.summary ?? '');
  if (!m || !/^Represents a /.test(t.docs.summary)) continue;
  const cfgParam = t.initializer.parameters?.[2];
  if (!cfgParam?.type?.fqn) continue;
  const s = schemaOf(cfgParam.type.fqn, m[1] ? fqn : null);
  for (const k of META) delete s.a[k];
  if (m[1] === 'resources') resources[m[2]] = s;
  else if (m[1] === 'data-sources') dataSources[m[2]] = s;
  else providerSchema = s;
}

const sortKeys = (o) =>
  Array.isArray(o) ? o.map(sortKeys) : o && typeof o === 'object'
    ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])])) : o;
const out = sortKeys({
  provider: pkg.cdktf?.provider?.name,
  provider_version: pkg.cdktf?.provider?.version,
  package: pkg.name,
  package_version: pkg.version,
  provider_schema: providerSchema,
  resources,
  data_sources: dataSources,
});
const text = JSON.stringify(out);
fs.writeFileSync(outFile, zlib.gzipSync(Buffer.from(text), { level: 9, mtime: 0 }));
console.log(`${outFile}: ${Object.keys(resources).length} resources, ${Object.keys(dataSources).length} data sources, ` +
  `${text.length} bytes of JSON, provider ${out.provider} ${out.provider_version}`);
