/**
 * Renders Terraform JSON (cdktf's `cdk.tf.json`) as HCL written the way people write it, so a reviewer
 * can read a stack beside the article's HCL. Terraform keeps running the JSON; this HCL is for reading.
 *
 * Decisions (docs/review.md):
 * - Block or attribute: the provider schema decides for the types it describes (`./schema`, from
 *   `terraform providers schema -json`); otherwise objects and lists of objects are blocks, except
 *   well-known map names (`tags`, `variables`, `triggers`...; `./body`). `terraform`, `locals`, `variable`,
 *   `output`, `module` bodies have fixed shapes.
 * - Order in a block: `count`/`for_each`/`provider`; then attributes (`name`, `name_prefix`, `family` first,
 *   the other one-line values alphabetically, then multi-line values alphabetically, `tags`/`tags_all` last);
 *   then nested blocks alphabetically (repeated blocks in their JSON order), `dynamic` blocks; then
 *   `lifecycle`, `provisioner`, `connection`; `depends_on` last. Groups are separated by a blank line.
 * - Strings: `"${expr}"` becomes the bare `expr`; a string that parses as a JSON object or array becomes
 *   `jsonencode(...)` of HCL values; a multi-line attribute value becomes a `<<-EOT` heredoc when that is
 *   exact; everything else is a quoted template. Terraform JSON strings are already templates, so `$${` and
 *   `%%{` escapes carry over unchanged (`./template`, `./value`).
 * - Layout (`=` alignment, spacing inside expressions) is `terraform fmt`'s own (`./format`).
 */
import { ATTRIBUTES_ONLY, asList, BodySpec, entriesOf, IMPORT, MODULE, MOVED, OUTPUT, REMOVED, renderBody, TERRAFORM_BLOCK, VARIABLE } from './body';
import { formatHcl, FormatOptions } from './format';
import { SchemaSource } from './schema';
import { quote, singleInterpolation } from './template';
import { block, isObject, Json, JsonObject, Lines, sections } from './value';

export type { Json, JsonObject } from './value';
export type { BlockSchema, SchemaSource } from './schema';

export interface RenderOptions extends FormatOptions {
  /** Provider schemas used to tell blocks from map attributes. @default - the fallback rules only */
  readonly schemas?: SchemaSource;
  /** Comment lines put at the top of the file, without `#`. @default - none */
  readonly header?: readonly string[];
}

/** Top-level keys in the order they are rendered. */
const TOP_LEVEL = ['terraform', 'provider', 'variable', 'locals', 'data', 'resource', 'module', 'moved', 'import', 'removed', 'output'];

/** Renders a whole Terraform JSON document as one formatted HCL file. */
export function renderHcl(config: JsonObject, options: RenderOptions = {}): string {
  const unknown = Object.keys(config).filter((key) => key !== '//' && !TOP_LEVEL.includes(key));
  if (unknown.length > 0) throw new Error(`cannot render top-level ${unknown.map((key) => `"${key}"`).join(', ')} as HCL`);
  const blocks = TOP_LEVEL.filter((key) => config[key] !== undefined).flatMap((key) => renderTopLevel(key, config[key], options.schemas));
  const header = (options.header ?? []).map((line) => (line ? `# ${line}` : '#')).join('\n');
  return formatHcl(`${header ? `${header}\n\n` : ''}${sections(blocks).join('\n')}\n`, options);
}

function renderTopLevel(key: string, value: Json, schemas: SchemaSource | undefined): Lines[] {
  const unlabeled = (spec: BodySpec) => asList(value).filter(isObject).map((body) => block(key, renderBody(body, spec)));
  const labeled = (render: (name: string, body: JsonObject) => Lines) =>
    labeledEntries(value).flatMap(([name, bodies]) => asList(bodies).filter(isObject).map((body) => render(name, body)));
  switch (key) {
    case 'terraform':
      return unlabeled(TERRAFORM_BLOCK);
    case 'locals':
      return unlabeled(ATTRIBUTES_ONLY);
    case 'import':
      return unlabeled(IMPORT);
    case 'moved':
      return unlabeled(MOVED);
    case 'removed':
      return unlabeled(REMOVED);
    case 'provider':
      return labeled((name, body) => block(`provider ${quote(name)}`, renderBody(body, { schema: schemas?.provider(name) })));
    case 'variable':
      return labeled((name, body) => block(`variable ${quote(name)}`, renderBody(body, VARIABLE)));
    case 'output':
      return labeled((name, body) => block(`output ${quote(name)}`, renderBody(body, OUTPUT)));
    case 'module':
      return labeled((name, body) => block(`module ${quote(name)}`, renderModule(body)));
    case 'data':
    case 'resource':
      return labeledEntries(value).flatMap(([type, byName]) => {
        const schema = key === 'data' ? schemas?.data(type) : schemas?.resource(type);
        return labeledEntries(byName).flatMap(([name, bodies]) =>
          asList(bodies).filter(isObject).map((body) => block(`${key} ${quote(type)} ${quote(name)}`, renderBody(body, { schema, meta: true }))),
        );
      });
    default:
      return [];
  }
}

function labeledEntries(value: Json): [string, Json][] {
  return isObject(value) ? entriesOf(value) : [];
}

/** `providers = { aws = aws.west }`: the values are provider addresses, written bare. */
function renderModule(body: JsonObject): Lines {
  const providers = body.providers;
  if (!isObject(providers)) return renderBody(body, MODULE);
  const addresses = Object.fromEntries(entriesOf(providers).map(([alias, address]) => [alias, typeof address === 'string' ? `\${${singleInterpolation(address) ?? address}}` : address]));
  return renderBody({ ...body, providers: addresses }, MODULE);
}
