import { BlockSchema } from './schema';
import { quote } from './template';
import { attribute, bare, bareList, block, isObject, Json, JsonObject, Lines, renderValue, sections } from './value';

/**
 * Block bodies: which arguments are nested blocks, and the order of arguments in a block (see `./hcl`).
 */

/** Attributes that hold maps, for when no schema is known: an object under these names is never a block. */
const MAP_ATTRIBUTES: ReadonlySet<string> = new Set([
  'tags',
  'tags_all',
  'labels',
  'variables',
  'triggers',
  'environment_variables',
  'parameters',
  'options',
  'docker_labels',
  'metadata',
  'annotations',
  'attributes',
]);

const META_FIRST = ['count', 'for_each', 'provider'];
const IDENTITY_FIRST = ['name', 'name_prefix', 'family'];
const ATTRIBUTES_LAST = ['tags', 'tags_all'];
const LIFECYCLE_AND_AFTER = ['lifecycle', 'provisioner', 'connection'];

/** How to read one block body. */
export interface BodySpec {
  readonly schema?: BlockSchema;
  /** Resource or data source: meta-arguments (`count`, `lifecycle`, `depends_on`...) apply. */
  readonly meta?: boolean;
  /** No nested blocks: every object is a map or object attribute (`locals`, backend settings). */
  readonly attributesOnly?: boolean;
  /** Arguments whose strings are bare expressions (addresses, type constraints, keywords). */
  readonly bare?: ReadonlySet<string>;
  /** Nested blocks with a fixed shape, by name. */
  readonly blocks?: Readonly<Record<string, BodySpec>>;
  /** Nested blocks with one label, `name "label" { }`, by name. */
  readonly labeled?: Readonly<Record<string, BodySpec>>;
  /** Attributes put first, in this order. @default IDENTITY_FIRST */
  readonly first?: readonly string[];
}

// Terraform's own blocks: their nested blocks are listed, every other object is a value (a provisioner's
// `environment` is a map, for one).
export const ATTRIBUTES_ONLY: BodySpec = { attributesOnly: true };
const CONDITION: BodySpec = { attributesOnly: true, first: ['condition', 'error_message'] };
const LIFECYCLE: BodySpec = {
  attributesOnly: true,
  bare: new Set(['ignore_changes', 'replace_triggered_by']),
  blocks: { precondition: CONDITION, postcondition: CONDITION },
};
const CONNECTION: BodySpec = { attributesOnly: true };
const PROVISIONER: BodySpec = { attributesOnly: true, bare: new Set(['when', 'on_failure']), blocks: { connection: CONNECTION } };

export const TERRAFORM_BLOCK: BodySpec = {
  blocks: {
    required_providers: ATTRIBUTES_ONLY,
    cloud: { blocks: { workspaces: ATTRIBUTES_ONLY } },
  },
  labeled: { backend: ATTRIBUTES_ONLY, provider_meta: ATTRIBUTES_ONLY },
};
export const VARIABLE: BodySpec = { attributesOnly: true, bare: new Set(['type']), blocks: { validation: CONDITION }, first: ['type', 'description', 'default'] };
export const OUTPUT: BodySpec = { attributesOnly: true, bare: new Set(['depends_on']), blocks: { precondition: CONDITION }, first: ['description', 'value'] };
export const MODULE: BodySpec = { attributesOnly: true, bare: new Set(['depends_on']) };
export const IMPORT: BodySpec = { attributesOnly: true, bare: new Set(['to', 'provider']) };
export const MOVED: BodySpec = { attributesOnly: true, bare: new Set(['from', 'to']) };
export const REMOVED: BodySpec = { bare: new Set(['from']), blocks: { lifecycle: ATTRIBUTES_ONLY } };

/**
 * Is this argument rendered as nested block(s)? With a schema, exactly its nested blocks are; without,
 * objects and lists of objects are, except the names in `MAP_ATTRIBUTES`.
 */
export function isBlockArgument(name: string, value: Json, schema: BlockSchema | undefined): boolean {
  const objects = Array.isArray(value) ? value.every(isObject) : isObject(value);
  if (!objects) return false;
  if (schema) return Object.hasOwn(schema, name);
  if (Array.isArray(value) && value.length === 0) return false;
  return !MAP_ATTRIBUTES.has(name);
}

export function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

/** The entries of a body without cdktf's `//` metadata. */
export function entriesOf(body: JsonObject): [string, Json][] {
  return Object.entries(body).filter(([key]) => key !== '//');
}

/** The HCL body of one block: meta-arguments, attributes, nested blocks, lifecycle, depends_on. */
export function renderBody(body: JsonObject, spec: BodySpec): Lines {
  const attributes: { key: string; lines: Lines }[] = [];
  const blocks: { key: string; lines: Lines }[] = [];
  const dynamics: Lines[] = [];
  let dependsOn: Lines = [];

  for (const [key, value] of entriesOf(body)) {
    if (spec.meta && (META_FIRST.includes(key) || LIFECYCLE_AND_AFTER.includes(key))) continue;
    if (spec.meta && key === 'depends_on') {
      dependsOn = attribute('depends_on', bareList(value));
    } else if (key === 'dynamic' && isObject(value) && !spec.attributesOnly) {
      for (const [label, content] of entriesOf(value)) {
        for (const item of asList(content)) if (isObject(item)) dynamics.push(renderDynamic(label, item, spec.schema?.[label]));
      }
    } else if (spec.labeled?.[key] && isObject(value)) {
      for (const [label, content] of entriesOf(value)) {
        for (const item of asList(content)) if (isObject(item)) blocks.push({ key, lines: block(`${key} ${quote(label)}`, renderBody(item, spec.labeled[key])) });
      }
    } else if (spec.blocks?.[key] && (isObject(value) || (Array.isArray(value) && value.every(isObject)))) {
      for (const item of asList(value)) blocks.push({ key, lines: block(key, renderBody(item as JsonObject, spec.blocks[key])) });
    } else if (!spec.attributesOnly && isBlockArgument(key, value, spec.schema)) {
      const nested: BodySpec = { schema: spec.schema?.[key] };
      for (const item of asList(value)) blocks.push({ key, lines: block(key, renderBody(item as JsonObject, nested)) });
    } else if (spec.bare?.has(key)) {
      attributes.push({ key, lines: attribute(key, bareList(value)) });
    } else {
      attributes.push({ key, lines: attribute(key, renderValue(value, { heredoc: true })) });
    }
  }

  return sections([
    spec.meta ? renderMetaFirst(body) : [],
    orderAttributes(attributes, spec.first ?? IDENTITY_FIRST).flatMap((entry) => entry.lines),
    ...blocks.sort((a, b) => compare(a.key, b.key)).map((entry) => entry.lines),
    ...dynamics,
    ...(spec.meta ? renderLifecycleAndAfter(body) : []),
    dependsOn,
  ]);
}

function renderMetaFirst(body: JsonObject): Lines {
  return META_FIRST.filter((key) => body[key] !== undefined).flatMap((key) => attribute(key, key === 'provider' ? [bare(body[key])] : renderValue(body[key])));
}

function renderLifecycleAndAfter(body: JsonObject): Lines[] {
  const blocksOf = (key: string, spec: BodySpec) => asList(body[key] ?? []).filter(isObject).map((item) => block(key, renderBody(item, spec)));
  return [...blocksOf('lifecycle', LIFECYCLE), ...renderProvisioners(body.provisioner ?? []), ...blocksOf('connection', CONNECTION)];
}

/** `first` attributes, other one-line values, multi-line values, then tags; alphabetical inside each. */
function orderAttributes<T extends { key: string; lines: Lines }>(attributes: T[], first: readonly string[]): T[] {
  const rank = (entry: T): number => {
    if (first.includes(entry.key)) return first.indexOf(entry.key) - first.length;
    if (ATTRIBUTES_LAST.includes(entry.key)) return 100 + ATTRIBUTES_LAST.indexOf(entry.key);
    return entry.lines.length === 1 ? 10 : 20;
  };
  return [...attributes].sort((a, b) => rank(a) - rank(b) || compare(a.key, b.key));
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function renderDynamic(label: string, body: JsonObject, contentSchema: BlockSchema | undefined): Lines {
  const spec: BodySpec = {
    attributesOnly: true,
    bare: new Set(['iterator']),
    blocks: { content: { schema: contentSchema } },
    first: ['for_each', 'iterator', 'labels'],
  };
  return block(`dynamic ${quote(label)}`, renderBody(body, spec));
}

/** cdktf writes `provisioner: [{ "local-exec": {...} }]`. */
function renderProvisioners(value: Json): Lines[] {
  return asList(value).flatMap((item) =>
    isObject(item) ? entriesOf(item).filter(([, body]) => isObject(body)).map(([type, body]) => block(`provisioner ${quote(type)}`, renderBody(body as JsonObject, PROVISIONER))) : [],
  );
}
