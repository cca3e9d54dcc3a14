import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderServer, TERRAFORM, terraformAvailable, TerraformWorkdir } from '../terraform/offline';

/**
 * Block schemas from `terraform providers schema -json`, the provider's own description of itself, run
 * in an offline workdir initialised from the provider mirror (`../terraform/offline`). The raw output
 * (13.6 MB for AWS 5.100.0, ~5 s) is trimmed to what the renderer needs, the arguments written as blocks
 * of every resource, data source and provider type (1.2 MB), and cached per provider source and version under
 * `.cache/review-schemas/` (gitignored: derived, and rebuilt whenever the version changes).
 */

/** The nested blocks of one block type, by name, each with its own; attributes are not listed. */
export type BlockSchema = { readonly [block: string]: BlockSchema };

/** Block schemas by type; a type the source does not know gives undefined, and the fallback rules apply. */
export interface SchemaSource {
  /** The providers described, as `<source> <version>`; empty when no schema could be read. */
  readonly providers: readonly string[];
  resource(type: string): BlockSchema | undefined;
  data(type: string): BlockSchema | undefined;
  provider(name: string): BlockSchema | undefined;
}

/** One provider's trimmed schema, as cached. */
export interface ProviderBlocks {
  readonly provider: BlockSchema;
  readonly resource: Readonly<Record<string, BlockSchema>>;
  readonly data: Readonly<Record<string, BlockSchema>>;
}

/** Bumped when the trimmed form changes, so that old cache files are rebuilt. */
const CACHE_FORMAT = 1;
const CACHE_DIR = path.join(__dirname, '..', '..', '.cache', 'review-schemas');

export const NO_SCHEMAS: SchemaSource = { providers: [], resource: () => undefined, data: () => undefined, provider: () => undefined };

let loaded: SchemaSource | undefined;

/**
 * The schemas of the providers the offline harness installs (AWS), from the cache or from Terraform;
 * `NO_SCHEMAS` without Terraform. Read once per process.
 */
export function providerSchemas(): SchemaSource {
  loaded ??= terraformAvailable() ? readProviderSchemas(CACHE_DIR) : NO_SCHEMAS;
  return loaded;
}

/** Schemas from `cacheDir`, asking Terraform only for the providers not cached yet. */
export function readProviderSchemas(cacheDir: string): SchemaSource {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-schema-'));
  fs.writeFileSync(path.join(config, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }));
  const workdir = TerraformWorkdir.fromStack(config).init();
  fs.rmSync(config, { recursive: true, force: true });
  try {
    const selections: Record<string, string> = JSON.parse(workdir.run('version', '-json')).provider_selections;
    const cacheFile = (source: string) => path.join(cacheDir, source, `${selections[source]}.json`);
    const cached = new Map(Object.keys(selections).map((source) => [source, readCache(cacheFile(source))]));
    if ([...cached.values()].some((blocks) => blocks === undefined)) {
      for (const [source, blocks] of Object.entries(trimProviderSchemas(rawProviderSchemas(workdir.dir)))) {
        writeCache(cacheFile(source), blocks);
        cached.set(source, blocks);
      }
    }
    return schemaSource(Object.fromEntries(Object.keys(selections).map((source) => [`${source} ${selections[source]}`, cached.get(source)!])));
  } finally {
    workdir.dispose();
  }
}

/**
 * `terraform providers schema -json`, attached to this process's provider. Not `TerraformWorkdir.run`:
 * its output buffer (1 MB) is too small for the schema, and renderers need it synchronously.
 */
function rawProviderSchemas(dir: string): unknown {
  const env = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_REATTACH_PROVIDERS: ProviderServer.shared().reattach };
  const result = spawnSync(TERRAFORM, ['providers', 'schema', '-json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`terraform providers schema -json failed in ${dir}:\n${result.error ?? ''}${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A cty type in the schema's JSON form: `"string"`, `["list", T]`, `["object", { name: T }]`... */
type RawType = string | readonly [string, ...unknown[]];

interface RawBlock {
  readonly attributes?: Readonly<Record<string, { readonly type?: RawType }>>;
  readonly block_types?: Readonly<Record<string, { readonly block: RawBlock }>>;
}

interface RawProvider {
  readonly provider: { readonly block: RawBlock };
  readonly resource_schemas?: Readonly<Record<string, { readonly block: RawBlock }>>;
  readonly data_source_schemas?: Readonly<Record<string, { readonly block: RawBlock }>>;
}

/** `terraform providers schema -json` trimmed to nested block names, by provider source. */
export function trimProviderSchemas(raw: unknown): Record<string, ProviderBlocks> {
  const providers = (raw as { provider_schemas?: Record<string, RawProvider> }).provider_schemas ?? {};
  const byType = (schemas: RawProvider['resource_schemas']) => Object.fromEntries(Object.entries(schemas ?? {}).map(([type, schema]) => [type, nestedBlocks(schema.block)]));
  return Object.fromEntries(
    Object.entries(providers).map(([source, schema]) => [
      source,
      { provider: nestedBlocks(schema.provider.block), resource: byType(schema.resource_schemas), data: byType(schema.data_source_schemas) },
    ]),
  );
}

/**
 * The arguments HCL writes as blocks: the nested blocks, and the attributes Terraform also accepts as
 * blocks, lists and sets of objects (its `blocktoattr` rule; the SDK's "attributes as blocks", such as a
 * security group's `egress`, which the provider documents and people write as blocks).
 */
function nestedBlocks(block: RawBlock): BlockSchema {
  const attributes = Object.entries(block.attributes ?? {}).map(([name, attribute]) => [name, attribute.type] as const);
  return {
    ...objectBlocks(attributes),
    ...Object.fromEntries(Object.entries(block.block_types ?? {}).map(([name, nested]) => [name, nestedBlocks(nested.block)])),
  };
}

function objectBlocks(attributes: readonly (readonly [string, RawType | undefined])[]): BlockSchema {
  return Object.fromEntries(
    attributes.flatMap(([name, type]) => {
      const element = Array.isArray(type) && (type[0] === 'list' || type[0] === 'set') ? (type[1] as RawType) : undefined;
      if (!Array.isArray(element) || element[0] !== 'object') return [];
      return [[name, objectBlocks(Object.entries(element[1] as Record<string, RawType>))]];
    }),
  );
}

/** A `SchemaSource` over trimmed schemas, keyed by `<source> <version>`; a provider's local name is its source's last part. */
export function schemaSource(providers: Readonly<Record<string, ProviderBlocks>>): SchemaSource {
  const entries = Object.entries(providers);
  const find = (pick: (blocks: ProviderBlocks) => Readonly<Record<string, BlockSchema>>, type: string) =>
    entries.map(([, blocks]) => pick(blocks)).find((types) => Object.hasOwn(types, type))?.[type];
  return {
    providers: entries.map(([key]) => key),
    resource: (type) => find((blocks) => blocks.resource, type),
    data: (type) => find((blocks) => blocks.data, type),
    provider: (name) => entries.find(([key]) => key.split(' ')[0].endsWith(`/${name}`))?.[1].provider,
  };
}

function readCache(file: string): ProviderBlocks | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8'));
    return cached.format === CACHE_FORMAT ? cached.blocks : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp name and renamed, so that a concurrent reader (another jest worker) never sees half a file. */
function writeCache(file: string, blocks: ProviderBlocks): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify({ format: CACHE_FORMAT, blocks }));
  fs.renameSync(temp, file);
}
