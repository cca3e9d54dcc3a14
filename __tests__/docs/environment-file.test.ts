import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTICLE, KIT } from '../../src/kit/defaults';
import { JSON_SCHEMA_FILE } from '../../src/synth/editor-schema';
import {
  code,
  DOCS_COMMAND,
  ENVIRONMENT_FILE_REFERENCE,
  environmentFileReference,
  JsonSchema,
  renderEnvironmentFileReference,
  staleReference,
} from '../../src/synth/environment-file-reference';

// docs/environment-file.md is generated from the zod schema (through the editor JSON Schema) by `npm run docs`;
// these tests are how `npm test` finds it stale, and how they find a field it leaves out or misstates.

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Field {
  readonly path: string;
  readonly node: JsonSchema;
  /** Named in its object's `required`. */
  readonly required: boolean;
}

/**
 * Every property of a JSON Schema with its path, walked on its own here (not with the generator's walk):
 * properties by name, list entries as `[]`, map values as `<key>`, union members at the union's path.
 */
function propertyPaths(node: JsonSchema, at = ''): Field[] {
  const fields: Field[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const here = at === '' ? name : `${at}.${name}`;
    fields.push({ path: here, node: child, required: (node.required ?? []).includes(name) }, ...propertyPaths(child, here));
  }
  if (node.items !== undefined && !Array.isArray(node.items)) fields.push(...propertyPaths(node.items as JsonSchema, `${at}[]`));
  if (typeof node.additionalProperties === 'object') fields.push(...propertyPaths(node.additionalProperties, `${at}.<key>`));
  for (const member of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) fields.push(...propertyPaths(member, at));
  return fields;
}

/** The table rows of a reference, by field path: each row's cells, split on the pipes that are not escaped. */
function rowsOf(markdown: string): Map<string, Record<'type' | 'required' | 'default' | 'allowed' | 'bounds' | 'description', string>> {
  const rows = new Map<string, Record<'type' | 'required' | 'default' | 'allowed' | 'bounds' | 'description', string>>();
  for (const line of markdown.split('\n').filter((text) => text.startsWith('| `'))) {
    const [field, type, required, fallback, allowed, bounds, description] = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    rows.set(field.replace(/^`+|`+$/g, ''), { type, required, default: fallback, allowed, bounds, description });
  }
  return rows;
}

/** A value as the reference writes it in a table: in a code span (fenced past any backtick in it), its pipes escaped. */
const asCode = code;

describe('docs/environment-file.md, the generated reference of the environment file', () => {
  const schema = JSON.parse(read(JSON_SCHEMA_FILE)) as JsonSchema;
  const committed = read(ENVIRONMENT_FILE_REFERENCE);
  const rows = rowsOf(committed);
  const fields = [...new Map(propertyPaths(schema).map((field) => [field.path, field])).values()];

  test(`the committed file is what the schema generates (run \`${DOCS_COMMAND}\` when this fails)`, () => {
    // GIVEN the committed reference WHEN it is checked as `npm run docs -- --check` checks it
    const stale = staleReference(committed, environmentFileReference());
    // THEN it is current (the message, were it not, names the file and the command)
    expect(stale).toBeUndefined();
  });

  test('a stale or missing file is named, with the command that fixes it', () => {
    // GIVEN the generated text WHEN the committed one differs by a line, or is missing
    const generated = environmentFileReference();
    const messages = [staleReference(`${generated}| \`extra\` |\n`, generated), staleReference(undefined, generated)];
    // THEN each says which file and `npm run docs`
    for (const message of messages) {
      expect(message).toContain(ENVIRONMENT_FILE_REFERENCE);
      expect(message).toContain('`npm run docs`');
    }
    expect(messages[0]).toContain('stale');
    expect(messages[1]).toContain('missing');
  });

  test('every property path of environments/environment.schema.json has its row, and every row is a property of the schema', () => {
    // GIVEN the schema's property paths, walked here WHEN the reference's rows are read
    const paths = fields.map((field) => field.path);
    // THEN each path is a row (in a code span), and the reference invents none
    expect(paths.length).toBeGreaterThan(150);
    expect(paths.filter((at) => !rows.has(at))).toEqual([]);
    expect([...rows.keys()].filter((at) => !paths.includes(at))).toEqual([]);
    expect(paths.filter((at) => !committed.includes(`\`${at}\``))).toEqual([]);
  });

  test('each field says required or optional as the schema does', () => {
    // GIVEN the fields its objects' `required` name WHEN each row's Required cell is read
    const wrong = fields.filter((field) => rows.get(field.path)?.required.startsWith('required') !== field.required).map((field) => field.path);
    // THEN it starts "required" exactly for those
    expect(fields.filter((field) => field.required).length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  test("every field's default, bounds and allowed values are those of the schema", () => {
    // GIVEN the fields with a default, a bound, a pattern or an enum, found in the schema
    const withDefault = fields.filter((field) => field.node.default !== undefined);
    const withRange = fields.filter((field) => field.node.minimum !== undefined || field.node.maximum !== undefined);
    const withPattern = fields.filter((field) => field.node.pattern !== undefined);
    const withEnum = fields.filter((field) => field.node.enum !== undefined);
    expect([withDefault.length, withRange.length, withPattern.length, withEnum.length].every((count) => count >= 5)).toBe(true);
    // WHEN their rows are read THEN each shows them as the schema has them
    for (const field of withDefault) expect({ path: field.path, default: rows.get(field.path)?.default }).toEqual({ path: field.path, default: asCode(JSON.stringify(field.node.default)) });
    for (const field of withRange) {
      const bounds = rows.get(field.path)?.bounds.split('<br>') ?? [];
      if (field.node.minimum !== undefined) expect({ path: field.path, bounds }).toEqual({ path: field.path, bounds: expect.arrayContaining([`min ${field.node.minimum}`]) });
      if (field.node.maximum !== undefined) expect({ path: field.path, bounds }).toEqual({ path: field.path, bounds: expect.arrayContaining([`max ${field.node.maximum}`]) });
    }
    for (const field of withPattern) {
      const bounds = rows.get(field.path)?.bounds.split('<br>') ?? [];
      expect({ path: field.path, bounds }).toEqual({ path: field.path, bounds: expect.arrayContaining([`pattern ${asCode(field.node.pattern as string)}`]) });
    }
    for (const field of withEnum) {
      const allowed = rows.get(field.path)?.allowed ?? '';
      expect({ path: field.path, allowed }).toEqual({ path: field.path, allowed: (field.node.enum ?? []).map((value) => asCode(JSON.stringify(value))).join(', ') });
    }
  });

  test('defaults are the resolved constants of src/kit/defaults.ts, with the bounds and values the schema gives the same fields', () => {
    // GIVEN fields whose defaults the kit's constants set, and their schema nodes
    const node = (at: string): JsonSchema => fields.find((field) => field.path === at)?.node as JsonSchema;
    const desiredCount = node('service.desiredCount');
    const access = node('service.database.access');
    // WHEN their rows are read
    const row = (at: string) => rows.get(at);
    // THEN they show the constant, the schema's range and its values
    expect(row('service.desiredCount')).toMatchObject({ type: 'integer', required: 'optional', default: `\`${ARTICLE.service.desiredCount}\``, bounds: `min ${desiredCount.minimum}<br>max ${desiredCount.maximum}` });
    expect(row('service.database.access')).toMatchObject({ default: `\`"${KIT.database.access}"\``, allowed: (access.enum ?? []).map((value) => `\`"${value}"\``).join(', ') });
    expect(row('pipeline.cachePaths')?.default).toBe(`\`${JSON.stringify(KIT.pipeline.cachePaths)}\``);
    expect(row('taskDefinition.container.port')?.default).toBe(`\`${ARTICLE.container.port}\``);
  });

  test('sections and their rules: a contents entry per top-level section, the editor-only rules in words', () => {
    // GIVEN the schema's top-level objects and the keys its exactly-one-of rules name
    const sections = Object.entries(schema.properties ?? {}).filter(([, node]) => node.properties !== undefined).map(([name]) => name);
    // WHEN the reference's contents and rules are read THEN each section has a heading and an entry
    for (const name of sections) {
      expect(committed).toContain(`\n## ${name}\n`);
      expect(committed).toContain(`- [${name}](#${name.toLowerCase()})`);
    }
    expect(committed).toContain('- Exactly one of `listenerRule.listenerArn` and `listenerRule.loadBalancer`.');
    expect(committed).toContain('## Rules across sections');
  });
});

describe('renderEnvironmentFileReference', () => {
  test('a small schema: $ref followed, a union object form marked, Markdown escaped, rules in words, output deterministic', () => {
    // GIVEN
    const small: JsonSchema = {
      type: 'object',
      $defs: { name: { type: 'string', pattern: '^a|b$', description: 'Default "<stack>-x", or *any*.' } },
      required: ['top'],
      properties: {
        top: {
          type: 'object',
          properties: {
            name: { $ref: '#/$defs/name' },
            size: { default: 'S', anyOf: [{ type: 'string', enum: ['S', 'M'] }, { type: 'object', properties: { count: { type: 'integer', minimum: 1 } }, required: ['count'] }] },
            list: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
          },
          oneOf: [{ required: ['name'] }, { required: ['list'] }],
        },
        flag: { type: 'boolean' },
      },
      allOf: [{ if: { required: ['flag'] }, then: { properties: { top: { type: 'object', required: ['name'] } } } }],
    };
    // WHEN
    const text = renderEnvironmentFileReference(small);
    const rows = rowsOf(text);
    // THEN
    expect(renderEnvironmentFileReference(small)).toBe(text);
    expect([...rows.keys()]).toEqual(['flag', 'top', 'top.name', 'top.size', 'top.size.count', 'top.list', 'top.list[].id']);
    expect(rows.get('top.name')).toMatchObject({ type: 'string', bounds: 'pattern `^a\\|b$`', description: 'Default "&lt;stack&gt;-x", or \\*any\\*.' });
    expect(rows.get('top.size')).toMatchObject({ type: 'string or object', default: '`"S"`', allowed: '`"S"`, `"M"`' });
    expect(rows.get('top.size.count')).toMatchObject({ required: 'required, when `top.size` is an object', bounds: 'min 1' });
    expect(rows.get('top.list')?.type).toBe('array of object');
    expect(text).toContain('- Exactly one of `top.name` and `top.list`.');
    expect(text).toContain('- When `flag` is set: `top.name` is required.');
    expect(text).toContain('- [top](#top) (required)');
  });
});
