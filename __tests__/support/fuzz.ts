import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { EDITOR_SCHEMA_FILE, ENVIRONMENTS_DIR } from '../../src/environment/sources';
import { snapshot } from './environments';
import { FIXTURE_ENVIRONMENTS_DIR, PROJECT_ROOT } from './paths';
import { moduleWorkspace, terraformFiles } from './workspace';

/**
 * Property-based fuzzing of synth (`__tests__/environment/property.test.ts`, `npm run fuzz`): environment
 * files generated around the fixtures, with nasty values at known fields and nasty text around them,
 * and the contract synth keeps for any of them (docs/writing-environment-files.md, "Validation"): it accepts the file, or exits 1
 * with one line per error, naming the file and the field, no stack trace, and the output left as it was.
 * What it accepts, `terraform validate` must accept too.
 */

// ---------------------------------------------------------------------------------------------------
// The files: the fixtures, and the field paths edits land on
// ---------------------------------------------------------------------------------------------------

const LOOKUP_FIXTURE = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');

/**
 * The files every generated file starts from (name → text): the fixture environments, and the lookup
 * fixture (ALB, subnets and groups by data source) with and without its `adopt` section. Adopting makes
 * each accepted synth ask `terraform version` twice (~1.3 s here), so the rarest start is the one with it.
 */
export const FIXTURE_TEXTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    fs
      .readdirSync(FIXTURE_ENVIRONMENTS_DIR)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [path.basename(name, '.json'), fs.readFileSync(path.join(FIXTURE_ENVIRONMENTS_DIR, name), 'utf8')]),
  ),
  lookup: JSON.stringify({ ...JSON.parse(LOOKUP_FIXTURE), adopt: undefined }, null, 2),
  'lookup-adopt': LOOKUP_FIXTURE,
};
/** The starts without `adopt`: the common ones. */
const QUICK_FIXTURES = Object.keys(FIXTURE_TEXTS).filter((name) => name !== 'lookup-adopt');
/** Where a start comes from, for the recipe. */
const FIXTURE_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.keys(FIXTURE_TEXTS).map((name) => [name, `fixture ${name}.json`])),
  lookup: 'fixture lookup.json, without its adopt section',
  'lookup-adopt': 'fixture lookup.json',
};

type Json = any;
type FieldPath = readonly string[];

/** Every path in a JSON value: objects, lists and values (list entries by index). */
function pathsIn(value: Json, at: FieldPath = []): FieldPath[] {
  const children = value !== null && typeof value === 'object' ? Object.entries(value) : [];
  return [...(at.length > 0 ? [at] : []), ...children.flatMap(([key, child]) => pathsIn(child, [...at, key]))];
}

/**
 * Every field the editor schema (written from the zod schema by `npm run schema`) describes, optional
 * ones included, with its schema: a list's entries as index 0, a map's entries as a new key.
 * Conditional parts (`allOf`, `if`) add no fields.
 */
function schemaFields(schema: Json, at: FieldPath = []): { path: FieldPath; schema: Json }[] {
  if (schema === null || typeof schema !== 'object' || at.length > 8) return [];
  const properties = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => schemaFields(child, [...at, key]));
  const entries = schema.items ? schemaFields(schema.items, [...at, '0']) : [];
  const mapEntries = typeof schema.additionalProperties === 'object' ? schemaFields(schema.additionalProperties, [...at, 'EXTRA_NAME']) : [];
  return [...(at.length > 0 ? [{ path: at, schema }] : []), ...properties, ...entries, ...mapEntries];
}

const SCHEMA_FIELDS = schemaFields(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, ENVIRONMENTS_DIR, EDITOR_SCHEMA_FILE), 'utf8')));

/** The fields edits land on: every path of the fixtures, then the schema's (sorted, so shrinking goes to the shortest). */
export const FIELD_PATHS: readonly FieldPath[] = uniquePaths([...Object.values(FIXTURE_TEXTS).flatMap((text) => pathsIn(JSON.parse(text))), ...SCHEMA_FIELDS.map((field) => field.path)]);

/** The fields that take a whole reference (their editor pattern allows `${var.…}`), else every field: where references are put most. */
const REFERENCE_PATHS: readonly FieldPath[] = ((paths) => (paths.length > 0 ? paths : FIELD_PATHS))(
  uniquePaths(SCHEMA_FIELDS.filter((field) => String(field.schema.pattern ?? '').includes('\\$\\{(?:var')).map((field) => field.path)),
);

/** The paths that hold a list in a fixture or in the schema: where entries get duplicated. */
const LIST_PATHS: readonly FieldPath[] = uniquePaths([
  ...Object.values(FIXTURE_TEXTS).flatMap((text) => pathsIn(JSON.parse(text)).filter((at) => Array.isArray(valueAt(JSON.parse(text), at)))),
  ...FIELD_PATHS.filter((at, _, all) => all.some((other) => other.length === at.length + 1 && other[at.length] === '0' && at.every((key, i) => other[i] === key))),
]);

/** The paths that hold an object: where `__proto__` and its kind get added as keys. */
const OBJECT_PATHS: readonly FieldPath[] = [[], ...FIELD_PATHS.filter((at) => FIELD_PATHS.some((other) => other.length === at.length + 1 && other[at.length] !== '0' && at.every((key, i) => other[i] === key)))];

function uniquePaths(paths: FieldPath[]): FieldPath[] {
  const byText = new Map(paths.map((at) => [at.join('.'), at]));
  return [...byText.values()].sort((a, b) => a.length - b.length || a.join('.').localeCompare(b.join('.')));
}

// ---------------------------------------------------------------------------------------------------
// Nasty values
// ---------------------------------------------------------------------------------------------------

/** Terraform interpolation and template syntax, whole and broken: synth must pass references through or refuse them. */
const TEMPLATES = ['${var.staging_host}', '${}', '${', '}', '$${var.x}', '${var.a', 'a-${var.x}-b', '${ var.x }', '${var.x}${var.y}', '${"}"}', '%{ if true }x%{ endif }', '%{', '${data.aws_caller_identity.current.account_id}', '${jsonencode({})}', '${path.module}'];
/** Variable names Terraform reserves, or JavaScript treats specially, or HCL reads oddly. */
const VARIABLE_NAMES = ['staging_host', 'count', 'source', 'version', 'providers', 'for_each', 'depends_on', 'lifecycle', 'locals', '__proto__', 'constructor', 'x-', '_', 'X'];
/** Attributes a reference may name: real ones, and members every cdktf construct has (which Terraform does not). */
const ATTRIBUTES = ['id', 'arn', 'name', 'dns_name', 'vpc_id', 'tags_all', 'ids[0]', 'id[0]', 'node', 'constructor', 'friendly_unique_id', 'fqn', 'to_string', 'depends_on', 'count', 'lifecycle', 'provider', 'terraform_resource_type'];

/** Whole references (the form reference fields take): to variables, and to what the fixtures' stacks declare, or not. */
function references(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...VARIABLE_NAMES).map((name) => `\${var.${name}}`),
    fc.tuple(fc.constantFrom(...stackAddresses(), 'aws_lb.production', 'data.aws_lb.production', 'data.aws_caller_identity.current'), fc.constantFrom(...ATTRIBUTES)).map(([address, attribute]) => `\${${address}.${attribute}}`),
  );
}

let addresses: string[] | undefined;

/** Every resource and data source address the fixtures' stacks declare (from one synth of each, made once). */
function stackAddresses(): string[] {
  if (addresses) return addresses;
  const found = new Set<string>();
  for (const name of QUICK_FIXTURES) {
    const text = FIXTURE_TEXTS[name];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-fuzz-addresses-'));
    try {
      fs.mkdirSync(path.join(root, 'environments'));
      fs.writeFileSync(path.join(root, 'environments', `${name}.json`), text);
      const result = synthesize({ environmentsDir: path.join(root, 'environments'), outdir: path.join(root, 'cdktf.out'), info: () => undefined, error: () => undefined, warn: () => undefined });
      for (const stack of result.stacks) {
        const config = JSON.parse(fs.readFileSync(path.join(stack.outputDirectory, 'cdk.tf.json'), 'utf8'));
        for (const [type, byName] of Object.entries<object>(config.resource ?? {})) for (const resource of Object.keys(byName)) found.add(`${type}.${resource}`);
        for (const [type, byName] of Object.entries<object>(config.data ?? {})) for (const source of Object.keys(byName)) found.add(`data.${type}.${source}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  addresses = [...found].sort();
  return addresses;
}

/** Characters a terminal or a parser treats specially: NUL, zero-width, line separators, lone surrogates, escapes. */
const CONTROL_STRINGS = ['\u0000', 'stg\u0000', '\u200b', 'stg\u200b', '\u2028', 'a\u2029b', '\ud800', 'x\udc00', '\u001b[31mred\u001b[0m', '\t', '\n', 'a\r\nb', '\u202eevil', '\ufeff', '\u0085', '\u007f'];
/** Host names around the rules: wildcards, case, trailing dots, IDN, labels too long. */
const HOSTS = ['*', '*.example.com', '*.*.example.com', '?', 'stg-?.example.com', 'stg-api.example.com.', '.example.com', 'STG-API.EXAMPLE.COM', 'stg_api.example.com', 'xn--bcher-kva.example', 'bücher.example', 'a..b', 'localhost', '-stg.example.com', `${'a'.repeat(64)}.example.com`, `${'a.'.repeat(64)}com`];
/** CIDRs with host bits, without a prefix, out of range, and IPv6 written wrong. */
const CIDRS = ['10.0.0.1/8', '203.0.113.5/24', '0.0.0.0/0', '::/0', '10.0.0.0/33', '10.0.0.0/-1', '256.0.0.0/8', '10.0.0.0', '10.0.0.0/', '/24', '010.0.0.0/8', '2001:db8::1/48', '2001:db8:::/48', '2001:db8::/129', '2001:db8::g/64', ':::/0', '::ffff:10.0.0.0/104', '2001:DB8::/32', ' 10.0.0.0/8', '10.0.0.0/8 ', '1.2.3.4/32\n', '1.2.3.4/032'];
/** Values that look like AWS identifiers, some right, some almost. */
const AWS_LIKE = [
  'arn:aws:iam::123456789012:role/*',
  'arn:aws:iam::*:role/x',
  'arn:',
  'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*',
  'arn:aws:ssm:ap-northeast-1:123456789012:parameter/prod/db-password',
  'arn:aws-cn:iam::123456789012:role/x',
  'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef/extra',
  'sg-*',
  'subnet-',
  'vpc-0123456789abcdef0',
  'sg-0123456789abcdef0',
  'subnet-0123456789abcdef9',
  `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server@sha256:${'a'.repeat(64)}`,
  'public.ecr.aws/nginx/nginx:latest',
  'Z',
  '/',
  '/prod/db-password',
  'https://github.com/example/stg-server.git',
  'refs/heads/main',
  'aws_ecs_cluster.staging',
];
const LONG_LENGTHS = [32, 33, 40, 41, 63, 64, 128, 129, 255, 256, 1024, 1025, 16384, 16385];
/** Numbers at and past the limits: 2^31, 2^53, huge, tiny, negative, fractional. */
const NUMBERS = [0, -0, -1, 1, 1.5, 0.1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e300, -1e300, 5e-324, 255, 256, 3600, 3601, 50000, 50001, 65535, 65536, 1024, 16384, 122880];

/** A nested value `depth` levels deep (the file limit is 32). */
function nested(depth: number, asList: boolean): Json {
  let value: Json = 1;
  for (let level = 0; level < depth; level++) value = asList ? [value] : { a: value };
  return value;
}

/** Objects whose keys JavaScript treats specially: parsed from text, so that the key really exists. */
const SPECIAL_KEY_OBJECTS = ['{"__proto__": {"polluted": true}}', '{"__proto__": "arn:aws:iam::123456789012:role/x"}', '{"constructor": {"prototype": {"x": 1}}}', '{"prototype": 1}', '{"a": 1, "__proto__": null}'];

/** A string a field may not expect: references, control characters, long runs, hosts, CIDRs, AWS look-alikes, random code points. */
export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TEMPLATES) },
    { weight: 3, arbitrary: references() },
    { weight: 2, arbitrary: fc.constantFrom(...CONTROL_STRINGS) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LONG_LENGTHS), fc.constantFrom('a', '-', 'é', '0')).map(([length, char]) => char.repeat(length)) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTS) },
    { weight: 2, arbitrary: fc.constantFrom(...CIDRS) },
    { weight: 1, arbitrary: fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })).map(([ip, prefix]) => `${ip}/${prefix}`) },
    { weight: 1, arbitrary: fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 })).map(([ip, prefix]) => `${ip}/${prefix}`) },
    { weight: 2, arbitrary: fc.constantFrom(...AWS_LIKE) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '0', '256', 'true', 'null') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
}

/** A number at or past a limit: 2^31, 2^53, huge, tiny, negative, fractional; or any. */
export function nastyNumber(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NUMBERS) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) });
}

/** A value of any type: deep nesting, long lists, keys JavaScript treats specially, empty ones. */
export function nastyValue(): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: nastyString() },
    { weight: 2, arbitrary: nastyNumber() },
    { weight: 1, arbitrary: fc.constantFrom<Json>(true, false, null) },
    { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [[]], [{}], [null], nested(33, true), nested(40, false), Array.from({ length: 1001 }, (_, i) => `10.0.${i >> 8}.${i & 255}/32`)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom<Json>('a', 1, null, '${var.x}', '203.0.113.0/24'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_KEY_OBJECTS).map((text) => JSON.parse(text)) },
  );
}

/** Short strings to put around a field's own value: the value stays almost right, so deeper rules run. */
const AFFIXES = ['', '${var.x}', '\u200b', ' ', '*.', '.', '-', '/', 'X', '%{', '$${', '\u0000', '\ud800'];

// ---------------------------------------------------------------------------------------------------
// Edits of the parsed file, and of its text
// ---------------------------------------------------------------------------------------------------

/** One change to the parsed file. */
export type Edit =
  | { readonly kind: 'set'; readonly path: FieldPath; readonly value: Json }
  /** A value of the field's own type (string or number; in a list, its first entry's), so that the rules past the types run. */
  | { readonly kind: 'replace'; readonly path: FieldPath; readonly string: string; readonly number: number }
  /** A whole reference in a field that takes one. */
  | { readonly kind: 'reference'; readonly path: FieldPath; readonly reference: string }
  | { readonly kind: 'wrap'; readonly path: FieldPath; readonly prefix: string; readonly suffix: string }
  | { readonly kind: 'delete'; readonly path: FieldPath }
  | { readonly kind: 'duplicate'; readonly path: FieldPath; readonly entry: number };

/** One change to the file's text, at the `at`-th place it applies to (modulo how many there are). */
export type TextEdit =
  | { readonly kind: 'byte-order mark' }
  | { readonly kind: 'trailing comma'; readonly at: number }
  | { readonly kind: 'comment'; readonly at: number; readonly comment: string }
  | { readonly kind: 'duplicate key'; readonly at: number }
  | { readonly kind: 'number as written'; readonly at: number; readonly text: string }
  | { readonly kind: 'raw character'; readonly at: number; readonly char: string }
  | { readonly kind: 'cut'; readonly at: number };

/** How the text becomes bytes: UTF-8, UTF-16, or UTF-8 with invalid bytes spliced in. */
export type Encoding = { readonly kind: 'utf-8' } | { readonly kind: 'utf-16le' } | { readonly kind: 'bytes'; readonly at: number; readonly hex: string };

const fieldPath = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...FIELD_PATHS) },
  // a key JavaScript treats specially, added to an object
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...OBJECT_PATHS), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([at, key]) => [...at, key]) },
  // the whole file
  { weight: 1, arbitrary: fc.constant<FieldPath>([]) },
);

/** An edit of the parsed file: mostly a value of the field's own type, so that rules past the types run. */
export function edit(): fc.Arbitrary<Edit> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), path: fc.constantFrom(...FIELD_PATHS), string: nastyString(), number: nastyNumber() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fieldPath, value: nastyValue() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reference' as const), path: fc.constantFrom(...REFERENCE_PATHS), reference: references() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('wrap' as const), path: fc.constantFrom(...FIELD_PATHS), prefix: fc.constantFrom(...AFFIXES), suffix: fc.constantFrom(...AFFIXES) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...FIELD_PATHS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), path: fc.constantFrom(...LIST_PATHS), entry: fc.nat(3) }) },
  );
}

const NUMBER_TEXTS = ['NaN', 'Infinity', '-Infinity', '+1', '.5', '1.', '01', '1e309', '-1e309', '1e-400', '9007199254740993', '0x10', '-0', '1E2', '2e0'];
const RAW_CHARACTERS = ['\u0000', '\u0001', '\t', '\u001b', '\u007f', '\u0085', '\u2028', '\u200b', '\u202e'];

/** An edit of the file's text: what JSON.stringify never writes. */
export function textEdit(): fc.Arbitrary<TextEdit> {
  const at = fc.nat(200);
  return fc.oneof(
    fc.constant({ kind: 'byte-order mark' as const }),
    fc.record({ kind: fc.constant('trailing comma' as const), at }),
    fc.record({ kind: fc.constant('comment' as const), at, comment: fc.constantFrom('// note', '/* note */', '# note') }),
    fc.record({ kind: fc.constant('duplicate key' as const), at }),
    fc.record({ kind: fc.constant('number as written' as const), at, text: fc.constantFrom(...NUMBER_TEXTS) }),
    fc.record({ kind: fc.constant('raw character' as const), at, char: fc.constantFrom(...RAW_CHARACTERS) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(5000) }),
  );
}

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 30, arbitrary: fc.constant({ kind: 'utf-8' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'utf-16le' as const }) },
  // a byte no UTF-8 has, a surrogate encoded (CESU-8), an overlong "/"
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(5000), hex: fc.constantFrom('ff', 'eda080', 'c0af') }) },
);

/** An own property, even `__proto__` (whose plain read is the prototype). */
function own(node: Json, key: string): Json {
  return node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
}

/** Sets an own property, so that `__proto__` becomes a key of the file and not the object's prototype. */
function define(node: Json, key: string, value: Json): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

function valueAt(root: Json, at: FieldPath): Json {
  return at.reduce((node, key) => own(node, key), root);
}

/** The parent of `at` (a path of at least one key), made of objects where missing or not an object. */
function parentOf(root: Json, at: FieldPath): Json {
  let node = root;
  for (const key of at.slice(0, -1)) {
    let child = own(node, key);
    if (child === null || typeof child !== 'object') define(node, key, (child = {}));
    node = child;
  }
  return node;
}

/** A deep copy through JSON text: keys like `__proto__` survive, and generated values are never shared. */
function copyJson(value: Json): Json {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** `root` with `change` made; the root itself may be replaced (an edit of the whole file). */
function applyEdit(root: Json, change: Edit): Json {
  const last = change.path[change.path.length - 1];
  const current = valueAt(root, change.path);
  const replacement = (): Json => {
    switch (change.kind) {
      case 'set':
        return copyJson(change.value);
      case 'reference':
        return change.reference;
      case 'replace': {
        const typed = (old: Json) => (typeof old === 'number' ? change.number : change.string);
        return Array.isArray(current) ? [typed(current[0]), ...current.slice(1)] : typed(current);
      }
      case 'wrap':
        return `${change.prefix}${typeof current === 'string' ? current : current === undefined ? '' : JSON.stringify(current)}${change.suffix}`;
      case 'delete':
        return undefined;
      case 'duplicate':
        return Array.isArray(current) && current.length > 0 ? [...current, copyJson(current[change.entry % current.length])] : current;
    }
  };
  const value = replacement();
  if (change.path.length === 0) return value === undefined ? {} : value;
  if (root === null || typeof root !== 'object') root = {};
  const parent = parentOf(root, change.path);
  if (value !== undefined) define(parent, last, value);
  else if (Array.isArray(parent) && /^\d+$/.test(last)) parent.splice(Number(last), 1);
  else delete parent[last];
  return root;
}

/** The places in `text` a text edit applies to (character offsets), in order. */
function offsets(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((match) => match.index!);
}

/** The `at`-th place, counting round: every number picks one, and shrinking goes to the first. */
function pick(places: number[], at: number): number | undefined {
  return places.length === 0 ? undefined : places[at % places.length];
}

/** `text` with `change` made (unchanged when the text has no place for it). */
function applyTextEdit(text: string, change: TextEdit): string {
  const insert = (offset: number | undefined, what: string) => (offset === undefined ? text : text.slice(0, offset) + what + text.slice(offset));
  switch (change.kind) {
    case 'byte-order mark':
      return `\ufeff${text}`;
    case 'trailing comma':
      return insert(pick(offsets(text, /\n *[}\]]/g), change.at), ',');
    case 'comment':
      return insert(pick(offsets(text, /\n/g), change.at), `\n${change.comment}`);
    case 'duplicate key': {
      const lines = text.split('\n');
      const keyLines = lines.flatMap((line, index) => (/^\s*"(?:[^"\\]|\\.)*": .*[^{[],?$/.test(line) ? [index] : []));
      const index = pick(keyLines, change.at);
      if (index === undefined) return text;
      const copy = lines[index].endsWith(',') ? lines[index] : `${lines[index]},`;
      return [...lines.slice(0, index), copy, ...lines.slice(index)].join('\n');
    }
    case 'number as written': {
      const places = [...text.matchAll(/(?<=(?:": |\n\s*))-?\d[\d.eE+-]*(?=,?\n)/g)];
      const match = places.length === 0 ? undefined : places[change.at % places.length];
      return match ? text.slice(0, match.index) + change.text + text.slice(match.index! + match[0].length) : text;
    }
    case 'raw character':
      return insert(pick(offsets(text, /": "/g).map((offset) => offset + 3), change.at), change.char);
    case 'cut':
      return text.slice(0, change.at % (text.length + 1));
  }
}

// ---------------------------------------------------------------------------------------------------
// Generated projects
// ---------------------------------------------------------------------------------------------------

/** One generated environment file: its name, text and bytes, and how it was made (for the report). */
export interface GeneratedFile {
  /** The stack name: the file is `environments/<name>.json`. */
  readonly name: string;
  readonly text: string;
  readonly encoding: Encoding;
  /** How it was made from its fixture, one line per change. */
  readonly recipe: readonly string[];
}

/** The file's bytes, as written. */
export function fileBytes(file: GeneratedFile): Buffer {
  switch (file.encoding.kind) {
    case 'utf-8':
      return Buffer.from(file.text, 'utf8');
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.text, 'utf16le')]);
    case 'bytes': {
      const offset = file.encoding.at % (file.text.length + 1);
      return Buffer.concat([Buffer.from(file.text.slice(0, offset), 'utf8'), Buffer.from(file.encoding.hex, 'hex'), Buffer.from(file.text.slice(offset), 'utf8')]);
    }
  }
}

/** A project synth will read: one or two environment files, and an output directory from a good synth or none. */
export class GeneratedProject {
  constructor(
    public readonly files: readonly GeneratedFile[],
    /** Whether the output directory holds a previous good synth (else it is absent). */
    public readonly previousOutput: boolean,
  ) {}

  /** How fast-check prints a counterexample: each file's recipe and its text, readable and terminal-safe. */
  [fc.toStringMethod](): string {
    return `\n${describeProject(this)}\n`;
  }
}

/** The project as text: the output directory, then each file's recipe and text. */
export function describeProject(project: GeneratedProject): string {
  const files = project.files.map((file) =>
    [
      `--- environments/${file.name}.json (${file.encoding.kind === 'bytes' ? `UTF-8, with the bytes ${file.encoding.hex} at character ${file.encoding.at % (file.text.length + 1)}` : file.encoding.kind}) ---`,
      ...file.recipe.map((line) => `# ${line}`),
      printable(file.text),
    ].join('\n'),
  );
  return [`output directory before synth: ${project.previousOutput ? 'a good synth of the fixtures' : 'absent'}`, ...files].join('\n');
}

/** A recipe line for an edit. */
function describeEdit(change: Edit): string {
  const where = change.path.length > 0 ? change.path.join('.') : '(file)';
  switch (change.kind) {
    case 'set':
      return `set ${where} = ${printable(abbreviate(JSON.stringify(change.value) ?? 'undefined'))}`;
    case 'reference':
      return `set ${where} = ${printable(JSON.stringify(change.reference))}`;
    case 'replace':
      return `replace ${where} with ${printable(abbreviate(JSON.stringify(change.string)))} (a string) or ${JSON.stringify(change.number)} (a number)`;
    case 'wrap':
      return `wrap ${where} in ${printable(JSON.stringify(change.prefix))} … ${printable(JSON.stringify(change.suffix))}`;
    case 'delete':
      return `delete ${where}`;
    case 'duplicate':
      return `duplicate entry ${change.entry} of ${where}`;
  }
}

/** A recipe line for a text edit. */
function describeTextEdit(change: TextEdit): string {
  const { kind, ...details } = change;
  return `text: ${kind} ${printable(JSON.stringify(details))}`;
}

/** What makes a second file differ from the first, so that the rules across files have something to compare. */
const RENAMES: Record<string, (config: Json) => void> = {
  'host (and DNS name)': (config) => ['listenerRule.hostHeader', 'dnsRecord.name'].forEach((at) => prefixAt(config, at, 'b-')),
  priority: (config) => {
    const priority = valueAt(config, ['listenerRule', 'priority']);
    if (typeof priority === 'number') applyEdit(config, { kind: 'set', path: ['listenerRule', 'priority'], value: priority + 1000 });
  },
  'target group': (config) => prefixAt(config, 'targetGroup.name', 'b-'),
  cluster: (config) => prefixAt(config, 'cluster.name', 'b-'),
  'service and family': (config) => ['service.name', 'taskDefinition.family'].forEach((at) => prefixAt(config, at, 'b-')),
  'record set identifier': (config) => prefixAt(config, 'dnsRecord.setIdentifier', 'b-'),
  'ECR repository (and image)': (config) => {
    const repository = valueAt(config, ['ecrLifecycle', 'repository']);
    const image = valueAt(config, ['taskDefinition', 'container', 'image']);
    prefixAt(config, 'ecrLifecycle.repository', 'b-');
    if (typeof repository === 'string' && typeof image === 'string') applyEdit(config, { kind: 'set', path: ['taskDefinition', 'container', 'image'], value: image.replace(`/${repository}:`, `/b-${repository}:`) });
  },
};

function prefixAt(config: Json, dotted: string, prefix: string): void {
  const at = dotted.split('.');
  const value = valueAt(config, at);
  if (typeof value === 'string') applyEdit(config, { kind: 'set', path: at, value: `${prefix}${value}` });
}

const FILE_NAMES = ['stg', 'preview', 'other', 'stg-2', 'stg_b', '2stg', 'stg.v2'];

/** How a file is made: a fixture (or, for a second file, a copy of the first), edits, text edits, an encoding. */
interface FileRecipe {
  readonly name: string;
  readonly from: string;
  readonly renames: readonly string[];
  readonly edits: readonly Edit[];
  readonly textEdits: readonly TextEdit[];
  readonly encoding: Encoding;
}

/** The file a recipe makes from `parsed` (its start), and its parsed form before text edits (for a copy). */
function buildFile(recipe: FileRecipe, parsed: Json, name: string): { file: GeneratedFile; parsed: Json } {
  let config = copyJson(parsed);
  for (const rename of recipe.renames) RENAMES[rename](config);
  for (const change of recipe.edits) config = applyEdit(config, change);
  const text = recipe.textEdits.reduce(applyTextEdit, JSON.stringify(config, null, 2) ?? '');
  const lines = [
    `from ${recipe.from === 'copy' ? 'a copy of the first file' : FIXTURE_LABELS[recipe.from]}`,
    ...recipe.renames.map((rename) => `made unique: ${rename}`),
    ...recipe.edits.map(describeEdit),
    ...recipe.textEdits.map(describeTextEdit),
  ];
  return { file: { name, text, encoding: recipe.encoding, recipe: lines }, parsed: config };
}

/** A recipe: a second file gets renames (and no text edits, so that it reaches the rules across files). */
function fileRecipe(from: fc.Arbitrary<string>, maxEdits: number, second: boolean): fc.Arbitrary<FileRecipe> {
  const withText = !second;
  return fc.record({
    // a bad stack name now and then: most files must get past the name to reach the rules
    name: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...FILE_NAMES.slice(0, 5)) }, { weight: 1, arbitrary: fc.constantFrom(...FILE_NAMES.slice(5)) }),
    from,
    renames: second ? fc.subarray(Object.keys(RENAMES)) : fc.constant([]),
    edits: fc.array(edit(), { maxLength: maxEdits }),
    textEdits: withText ? fc.oneof({ weight: 8, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(textEdit(), { minLength: 1, maxLength: 2 }) }) : fc.constant([]),
    encoding: withText ? encoding : fc.constant({ kind: 'utf-8' as const }),
  });
}

/**
 * A generated project: one file from a fixture with up to three edits, and sometimes text edits or
 * another encoding; a quarter of the time a second file, another fixture or a copy of the first made
 * (partly) unique, with up to two edits of its own; and an output directory from a good synth, or none.
 */
export function generatedProject(): fc.Arbitrary<GeneratedProject> {
  const start = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...QUICK_FIXTURES) }, { weight: 1, arbitrary: fc.constant('lookup-adopt') });
  const first = fileRecipe(start, 3, false);
  const second = fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fileRecipe(fc.constantFrom('copy', ...QUICK_FIXTURES), 2, true) });
  return fc.record({ first, second, previousOutput: fc.boolean() }).map(({ first, second, previousOutput }) => {
    const one = buildFile(first, JSON.parse(FIXTURE_TEXTS[first.from]), first.name);
    if (!second) return new GeneratedProject([one.file], previousOutput);
    const name = second.name === first.name ? `${second.name}-b` : second.name;
    const two = buildFile(second, second.from === 'copy' ? one.parsed : JSON.parse(FIXTURE_TEXTS[second.from]), name);
    return new GeneratedProject([one.file, two.file], previousOutput);
  });
}

// ---------------------------------------------------------------------------------------------------
// The check: synth's contract for any file
// ---------------------------------------------------------------------------------------------------

/** One way synth broke its contract. */
export interface Violation {
  readonly rule: string;
  readonly detail: string;
  /** The rule and the detail without values, file names or numbers: counterexamples with one cause share it. */
  readonly cause: string;
}

/** A stack synth accepted, with the file it came from, for `terraform validate`. */
export interface AcceptedStack {
  readonly name: string;
  readonly file: GeneratedFile;
  readonly project: GeneratedProject;
  /** Its Terraform files, name → contents (read before the temp project goes). */
  readonly terraform: Record<string, string>;
}

/** What one synth of a generated project did, and how it broke the contract (if it did). */
export interface SynthCheck {
  readonly exitCode: number | undefined;
  /** Every line synth printed, as `[error] …`, `[warn] …`, `[info] …`. */
  readonly lines: readonly string[];
  readonly violations: readonly Violation[];
  readonly accepted: readonly AcceptedStack[];
  readonly milliseconds: number;
}

let goodOutput: string | undefined;

/** A good synth of the fixtures, made once: copied into a project as "the previous synth". */
function previousGoodSynth(): string {
  if (goodOutput && fs.existsSync(goodOutput)) return goodOutput;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-fuzz-good-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const outdir = path.join(root, 'cdktf.out');
  const errors: string[] = [];
  const result = synthesize({ environmentsDir: FIXTURE_ENVIRONMENTS_DIR, outdir, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
  if (result.exitCode !== 0) throw new Error(`the fixtures do not synthesize:\n${errors.join('\n')}`);
  goodOutput = outdir;
  return outdir;
}

const SKIPPED_LINE = / more checks \(.*\) skipped until these are fixed$/;
const STACK_TRACE = /(^|\n) {4}at \S/;
// what terminalSafe (docs/writing-environment-files.md: "a file can never drive the terminal") writes as \uXXXX
const UNSAFE_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Writes the project to a temp dir, runs `synthesize` in-process, and checks the contract: exit 0
 * with no error line; or exit 1 with at least one error, every error line one line, each either
 * `error: <file>: <field or (file)>: …`, a file's "N more checks … skipped" line, or the final
 * `synth stopped: …` line; no stack trace anywhere; no raw control character in an error line; and
 * the output directory exactly as before. `synthesize` must not throw.
 */
export function checkSynth(project: GeneratedProject): SynthCheck {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-fuzz-'));
  try {
    const environmentsDir = path.join(root, 'environments');
    const outdir = path.join(root, 'cdktf.out');
    fs.mkdirSync(environmentsDir);
    for (const file of project.files) fs.writeFileSync(path.join(environmentsDir, `${file.name}.json`), fileBytes(file));
    if (project.previousOutput) fs.cpSync(previousGoodSynth(), outdir, { recursive: true });
    const before = outputState(outdir);

    const lines: { stream: 'error' | 'warn' | 'info'; text: string }[] = [];
    const started = Date.now();
    let exitCode: number | undefined;
    let thrown: unknown;
    let stacks: { name: string; dir: string }[] = [];
    try {
      const result = synthesize({
        environmentsDir,
        outdir,
        error: (text) => lines.push({ stream: 'error', text }),
        warn: (text) => lines.push({ stream: 'warn', text }),
        info: (text) => lines.push({ stream: 'info', text }),
      });
      exitCode = result.exitCode;
      stacks = result.stacks.map((stack) => ({ name: stack.node.id, dir: stack.outputDirectory }));
    } catch (error) {
      thrown = error;
    }
    const milliseconds = Date.now() - started;

    const shorten = (text: string) => text.split(`${environmentsDir}${path.sep}`).join('environments/');
    const violations = [
      ...(thrown !== undefined ? [violationOf('synthesize threw', shorten(thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)))] : []),
      ...(thrown === undefined ? exitViolations(exitCode, lines, project, environmentsDir, shorten) : []),
      ...outputViolations(before, outputState(outdir), exitCode),
    ];
    const accepted = exitCode === 0 ? stacks.map((stack) => ({ name: stack.name, file: project.files.find((file) => file.name === stack.name)!, project, terraform: terraformFiles(stack.dir) })) : [];
    return { exitCode, lines: lines.map(({ stream, text }) => `[${stream}] ${shorten(text)}`), violations, accepted, milliseconds };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The contract on what synth printed, for its exit code. */
function exitViolations(
  exitCode: number | undefined,
  lines: readonly { stream: string; text: string }[],
  project: GeneratedProject,
  environmentsDir: string,
  shorten: (text: string) => string,
): Violation[] {
  const violation = (rule: string, detail: string) => violationOf(rule, shorten(detail));
  const errors = lines.filter((line) => line.stream === 'error').map((line) => line.text);
  const found: Violation[] = lines.filter((line) => STACK_TRACE.test(line.text)).map((line) => violation('a stack trace was printed', line.text));
  if (exitCode === 0) return [...found, ...errors.map((line) => violation('accepted, but printed an error', line))];
  if (exitCode !== 1) return [...found, violation('exit code neither 0 nor 1', String(exitCode))];
  if (errors.length === 0) found.push(violation('refused without an error line', '(no error line)'));
  const files = project.files.map((file) => path.join(environmentsDir, `${file.name}.json`));
  const namesFileAndField = (line: string) => files.some((file) => line.startsWith(`error: ${file}: `) && /^(\(file\)|\S+): \S/.test(line.slice(`error: ${file}: `.length)));
  errors.forEach((line, index) => {
    if (line.includes('\n')) found.push(violation('an error spans several lines', line));
    if (UNSAFE_CHARACTER.test(line)) found.push(violation('an error line holds a raw control character', line));
    const first = line.split('\n')[0];
    if (first.startsWith('synth stopped: ')) {
      if (index !== errors.length - 1) found.push(violation('"synth stopped" is not the last error line', line));
    } else if (first.startsWith('error: ')) {
      if (!namesFileAndField(first)) found.push(violation('an error names no generated file and field', line));
    } else if (!(files.some((file) => first.startsWith(`${file}: `)) && SKIPPED_LINE.test(first))) {
      found.push(violation('not an error line', line));
    }
  });
  return found;
}

/** The output directory: whether it exists, its directories (an empty one left behind counts), its files. */
interface OutputState {
  readonly exists: boolean;
  readonly directories: readonly string[];
  readonly files: Record<string, string>;
}

function outputState(outdir: string): OutputState {
  const exists = fs.existsSync(outdir);
  const entries = exists ? (fs.readdirSync(outdir, { recursive: true }) as string[]) : [];
  return { exists, directories: entries.filter((entry) => fs.statSync(path.join(outdir, entry)).isDirectory()).sort(), files: snapshot(outdir) };
}

/** The contract on the output directory: untouched unless synth accepted every file. */
function outputViolations(before: OutputState, after: OutputState, exitCode: number | undefined): Violation[] {
  if (exitCode === 0) return [];
  const changes = [
    ...(before.exists !== after.exists ? [`the directory ${before.exists ? 'was removed' : 'was created'}`] : []),
    ...after.directories.filter((dir) => !before.directories.includes(dir)).map((dir) => `added ${dir}/`),
    ...before.directories.filter((dir) => !after.directories.includes(dir)).map((dir) => `removed ${dir}/`),
    ...Object.keys(after.files).filter((file) => !(file in before.files)).map((file) => `added ${file}`),
    ...Object.keys(before.files).filter((file) => !(file in after.files)).map((file) => `removed ${file}`),
    ...Object.keys(before.files).filter((file) => file in after.files && after.files[file] !== before.files[file]).map((file) => `changed ${file}`),
  ];
  if (changes.length === 0) return [];
  return [{ rule: 'the output directory changed although synth refused', detail: changes.join(', '), cause: `the output directory changed although synth refused: ${before.exists ? 'with' : 'without'} a previous synth` }];
}

function violationOf(rule: string, detail: string): Violation {
  return { rule, detail, cause: `${rule}: ${causeOf(detail)}` };
}

/** A line without its file, values (quoted text, `(got …)`) and numbers; only its first line, and for a stack, where it was thrown. */
function causeOf(detail: string): string {
  const lines = detail.split('\n');
  const thrownAt = lines.find((line) => /^ {4}at /.test(line) && !line.includes('node_modules'))?.trim() ?? '';
  const first = lines[0].replace(/environments\/[^:\s]+\.json/g, '<file>').replace(/ \(got .*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\d+/g, '0');
  return `${first.slice(0, 200)}${thrownAt ? ` ${thrownAt.replace(/:\d+:\d+\)?$/, '')}` : ''}`;
}

/** The failure message of one synth: what broke, and every line synth printed. */
export function describeViolations(check: SynthCheck): string {
  return [
    'synth broke its contract:',
    ...check.violations.map((found) => `  - ${found.rule}: ${printable(abbreviate(found.detail, 2000))}`),
    `synth printed (exit code ${check.exitCode ?? 'none: it threw'}):`,
    ...check.lines.map((line) => `  ${printable(abbreviate(line, 2000))}`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// terraform validate, once for many accepted stacks
// ---------------------------------------------------------------------------------------------------

/** One accepted stack that `terraform validate` refused, and why. */
export interface ValidateFailure {
  readonly stack: AcceptedStack;
  readonly diagnostics: readonly string[];
  /** The first diagnostic's summary without values, for grouping by cause. */
  readonly cause: string;
}

/** A stack as a child module: its files without import blocks (returned apart), and the variables it needs. */
function asModule(stack: AcceptedStack, name: string): { files: Record<string, string>; imports: Json[]; variables: string[] } {
  const imports: Json[] = [];
  const variables: string[] = [];
  const files = Object.fromEntries(
    Object.entries(stack.terraform).map(([file, contents]) => {
      if (!file.endsWith('.json')) return [file, contents];
      // Import blocks may only stand in the root module: they move there, aimed at the module.
      const { import: blocks, ...config } = JSON.parse(contents);
      for (const block of blocks ?? []) imports.push({ ...block, to: `module.${name}.${block.to}` });
      for (const [variable, declaration] of Object.entries<Json>(config.variable ?? {})) if (declaration?.default === undefined) variables.push(variable);
      return [file, JSON.stringify(config)];
    }),
  );
  return { files, imports, variables };
}

type Diagnostic = { severity: string; summary: string; detail?: string; address?: string; range?: { filename?: string } };

/**
 * Validates the stacks as child modules of one workspace (one `terraform init` and one `validate`),
 * each given a value for every variable it declares. When init fails on some modules, they are
 * refused with its output and the rest are tried again. Returns the stacks Terraform refused.
 */
export function validateStacks(stacks: readonly AcceptedStack[]): ValidateFailure[] {
  const failures: ValidateFailure[] = [];
  let remaining = stacks.map((stack, index) => ({ stack, name: `fuzz_${index}`, ...asModule(stack, `fuzz_${index}`) }));
  while (remaining.length > 0) {
    let diagnostics: Diagnostic[];
    try {
      diagnostics = validateModules(remaining);
    } catch (error) {
      // init failed: a module Terraform cannot read. Its errors say "on <module>/<file> line …".
      const text = (error as Error).message;
      // (its errors come first, then its progress: "Initializing modules...")
      const blocks = text.split(/\n(?=Initializing )/)[0].split(/\n(?=Error: )/).filter((block) => block.startsWith('Error: '));
      const blocksOf = (name: string) => blocks.filter((block) => block.includes(`on ${name}/`));
      const blamed = remaining.filter((module) => blocksOf(module.name).length > 0);
      const refused = blamed.length > 0 ? blamed : remaining;
      for (const module of refused) {
        const mine = blamed.length > 0 ? blocksOf(module.name) : [text];
        // without the source line Terraform quotes: here, a whole cdk.tf.json on one line
        const shown = mine.map((block) => `terraform init: ${block.split('\n').filter((line) => !/^\s+\d+: /.test(line) && line.trim() !== '').join(' ')}`);
        failures.push({ stack: module.stack, diagnostics: shown, cause: `terraform init: ${causeOf(mine[0].split('\n')[0])}` });
      }
      remaining = remaining.filter((module) => !refused.includes(module));
      continue;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    // by address, else file, else the first module the message names (a cycle has neither)
    const moduleOf = (d: Diagnostic) =>
      /^module\.(fuzz_\d+)\./.exec(d.address ?? '')?.[1] ?? /^(fuzz_\d+)\//.exec(d.range?.filename ?? '')?.[1] ?? /\bmodule\.(fuzz_\d+)\./.exec(`${d.summary} ${d.detail ?? ''}`)?.[1];
    for (const module of remaining) {
      const mine = errors.filter((d) => moduleOf(d) === module.name || moduleOf(d) === undefined);
      if (mine.length === 0) continue;
      // a cycle names its resources in any order: one cause
      const cause = mine[0].summary.startsWith('Cycle: ') ? 'terraform validate: Cycle' : `terraform validate: ${causeOf(mine[0].summary)} ${causeOf(mine[0].detail ?? '')}`.trim();
      const lines = mine.map((d) => [d.address ?? d.range?.filename, `${d.summary}${d.detail ? `: ${d.detail}` : ''}`].filter(Boolean).join(': '));
      failures.push({ stack: module.stack, diagnostics: [...new Set(lines)], cause });
    }
    break;
  }
  return failures;
}

/** One init and one `terraform validate` of the modules; their diagnostics (throws when init fails). */
function validateModules(modules: readonly { name: string; files: Record<string, string>; imports: Json[]; variables: string[] }[]): Diagnostic[] {
  const workdir = moduleWorkspace(Object.fromEntries(modules.map((module) => [module.name, module.files])));
  try {
    // the module calls, now with a value for each variable the stack declares (init needs none)
    const root = JSON.parse(fs.readFileSync(path.join(workdir.dir, 'modules.tf.json'), 'utf8'));
    for (const module of modules) for (const variable of module.variables) root.module[module.name][variable] = 'fuzz';
    workdir.write('modules.tf.json', JSON.stringify(root));
    const imports = modules.flatMap((module) => module.imports);
    if (imports.length > 0) workdir.write('imports.tf.json', JSON.stringify({ import: imports }));
    return workdir.validate().diagnostics;
  } finally {
    workdir.dispose();
  }
}

/** The failure message of a stack `terraform validate` refused: its file, as generated, and Terraform's diagnostics. */
export function describeValidateFailure(failure: ValidateFailure): string {
  return [
    `synth accepted environments/${failure.stack.file.name}.json (stack ${failure.stack.name}), but terraform validate refused it:`,
    ...failure.diagnostics.map((line) => `  - ${printable(abbreviate(line, 2000))}`),
    'the project:',
    describeProject(failure.stack.project),
  ].join('\n');
}

/**
 * At most `limit` accepted stacks, edited ones first (an unedited fixture only proves what
 * validate.test.ts does): the bounded sample that goes through one `terraform validate`.
 */
export class AcceptedSample {
  private readonly edited: AcceptedStack[] = [];
  private readonly plain: AcceptedStack[] = [];
  constructor(private readonly limit: number) {}

  /** Keeps a stack while there is room, unless one held came from the same text (fast-check repeats small cases). */
  public offer(stacks: readonly AcceptedStack[]): void {
    for (const stack of stacks) {
      const list = stack.file.recipe.length > 1 ? this.edited : this.plain;
      if (list.length < this.limit && !list.some((held) => held.file.text === stack.file.text)) list.push(stack);
    }
  }

  public get full(): boolean {
    return this.edited.length >= this.limit;
  }

  /** The sample, emptied for the next batch. */
  public take(): AcceptedStack[] {
    const sample = [...this.edited, ...this.plain].slice(0, this.limit);
    this.edited.length = 0;
    this.plain.length = 0;
    return sample;
  }
}

// ---------------------------------------------------------------------------------------------------
// Text for reports
// ---------------------------------------------------------------------------------------------------

/** Long runs of one character as `⟨"a" × 16385⟩`, and the whole cut at `max` characters: a report stays readable. */
function abbreviate(text: string, max = 400): string {
  const short = text.replace(/(.)\1{39,}/gsu, (run, char: string) => `⟨${JSON.stringify(char)} × ${[...run].length}⟩`);
  return short.length > max ? `${short.slice(0, max)}… (${short.length} characters)` : short;
}

/** `text` with control, zero-width and bidirectional characters and lone surrogates as `\uXXXX`: a report never drives the terminal. */
export function printable(text: string): string {
  return abbreviate(text, 100000).replace(new RegExp(UNSAFE_CHARACTER.source, 'g'), (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
