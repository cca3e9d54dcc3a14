import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentJsonSchema, JSON_SCHEMA_FILE } from '../../src/environment/json-schema';
import { isEnvironmentFileName } from '../../src/environment/sources';
import { FIXTURE_ENVIRONMENTS_DIR } from '../support/environments';
import { PROJECT_ROOT } from '../support/synth';

describe('the editor JSON Schema', () => {
  test('the committed file is what the zod schema generates (run `npm run schema` when this fails)', () => {
    // GIVEN
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, JSON_SCHEMA_FILE), 'utf8');
    // WHEN
    const generated = environmentJsonSchema();
    // THEN
    expect(committed).toBe(generated);
  });

  test('it carries the rules editors can check: required fields, patterns, ranges, no unknown keys', () => {
    // WHEN
    const schema = JSON.parse(environmentJsonSchema());
    // THEN
    expect(schema.required).toEqual(expect.arrayContaining(['region', 'taskDefinition', 'service', 'listenerRule', 'dnsRecord', 'ecrLifecycle']));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.listenerRule.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 50000 });
    expect(schema.properties.targetGroup.properties.name.pattern).toBeDefined();
  });

  test('every example and fixture environment points at it', () => {
    const dirs = [path.join(PROJECT_ROOT, 'examples'), FIXTURE_ENVIRONMENTS_DIR, path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article'), path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup')];
    const files = dirs.flatMap((dir) => fs.readdirSync(dir).filter(isEnvironmentFileName).map((name) => path.join(dir, name)));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      expect(path.resolve(path.dirname(file), JSON.parse(fs.readFileSync(file, 'utf8')).$schema)).toBe(path.join(PROJECT_ROOT, JSON_SCHEMA_FILE));
    }
  });
});
