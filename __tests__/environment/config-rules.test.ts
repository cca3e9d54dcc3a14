import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironmentFile } from '../../src/environment/load';
import { BAD_INPUT_CASES } from '../support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from '../support/environments';

/**
 * The bad-input cases at the config layer alone: reading and checking one file, with no stack built.
 * Every case the file's own rules own gives its line here; the few that only synth can find (the
 * guardrail pack's suppression IDs) pass the config layer and are named, so the split stays visible.
 */
const FOUND_AT_SYNTH = new Set(['suppression: a rule that cannot be suppressed', 'suppression: a rule that does not exist, with the nearest name']);

describe('the config layer rejects each bad input on its own, with the same line as synth', () => {
  const dir = tempProject({}).environmentsDir;

  test.each(BAD_INPUT_CASES.map((c, index) => ({ ...c, index })))('$rule', ({ rule, set, path: field, message, got, index }) => {
    // GIVEN the stg example with one change
    const config = fixtureJson('stg');
    for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
    const file = path.join(dir, `case${index}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    // WHEN
    const report = checkEnvironmentFile(file);
    // THEN
    if (FOUND_AT_SYNTH.has(rule)) {
      expect(report.errors).toEqual([]);
      return;
    }
    const line = report.errors.find((error) => error.startsWith(`${file}: ${field}: `));
    expect(line ?? report.errors).toEqual(expect.stringMatching(message));
    if (got !== undefined) expect(line).toContain(`(got ${JSON.stringify(got)})`);
  });
});
