import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments, readEnvironments } from '../../src/environment/load';
import { STACK_NAME_RULE } from '../../src/environment/sources';
import { FIXTURE_ENVIRONMENTS_DIR } from '../support/environments';

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-env-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('loadEnvironments', () => {
  test('one environment per file, named after the file; the JSON Schema is not an environment', () => {
    // GIVEN the committed examples
    // WHEN
    const result = loadEnvironments(FIXTURE_ENVIRONMENTS_DIR);
    // THEN
    expect(result.ok && result.environments.map((environment) => environment.name)).toEqual(['preview', 'stg']);
  });

  test('a missing directory is a one-line error naming it', () => {
    // WHEN
    const result = loadEnvironments('/nonexistent/environments');
    // THEN
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^\/nonexistent\/environments: directory not found/)] });
  });

  test('an empty directory is an error', () => {
    // WHEN
    const result = loadEnvironments(tempDir({}));
    // THEN
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/no environment files/);
  });

  test('invalid JSON names the file, line and column', () => {
    // GIVEN a trailing comma on line 3
    const dir = tempDir({ 'stg.json': '{\n  "region": "ap-northeast-1",\n  }\n' });
    // WHEN
    const result = loadEnvironments(dir);
    // THEN
    expect(result.ok).toBe(false);
    const [error] = !result.ok ? result.errors : [];
    expect(error).toContain(path.join(dir, 'stg.json'));
    expect(error).toMatch(/invalid JSON: .*\(line 3, column 3\)$/);
  });

  test('a file name that cannot be a stack name is an error', () => {
    // WHEN
    const result = loadEnvironments(tempDir({ 'my env.json': '{}' }));
    // THEN
    expect(!result.ok && result.errors[0]).toMatch(/my env\.json: \(file\): the file name is the stack name/);
  });

  test('a file name with a newline is quoted, so its error stays one line', () => {
    // GIVEN environments/a<newline>b.json
    const dir = tempDir({ 'a\nb.json': '{}' });
    // WHEN
    const result = loadEnvironments(dir);
    // THEN the name is JSON-quoted: "…/a\nb.json"
    expect(!result.ok && result.errors).toEqual([`${JSON.stringify(path.join(dir, 'a\nb.json'))}: (file): the file name is the stack name, so it ${STACK_NAME_RULE}`]);
  });

  test('no file name with a control character splits or colours a line: errors, errors across files and warnings', () => {
    // GIVEN two names alike but for case with a newline, one with a terminal escape, and a lookalike with a carriage return
    const dir = tempDir({ 'a\nb.json': '{}', 'A\nB.json': '{}', 'c\u001b[31m.json': '{}', 'd\r.JSON': '{}' });
    // WHEN
    const report = readEnvironments(dir);
    // THEN every line is one line, free of control characters, and names its file quoted
    const lines = [...report.files.flatMap((file) => file.errors), ...report.acrossFiles.map((error) => error.message), ...(report.notRead ?? [])];
    expect(lines).toHaveLength(3 + 1 + 1);
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(line).toMatch(/^"/);
    }
    expect(report.acrossFiles.map((error) => error.message)).toEqual([
      expect.stringContaining(`${JSON.stringify(path.join(dir, 'a\nb.json'))}: (file): the stack name must differ from "A\\nB" (${JSON.stringify(path.join(dir, 'A\nB.json'))}) in more than case`),
    ]);
    expect(report.notRead).toEqual([expect.stringMatching(/^".*d\\r\.JSON": \(file\): not read: /)]);
  });

  test('errors from every file are reported together', () => {
    // GIVEN two broken files
    const dir = tempDir({ 'a.json': '{', 'b.json': '[]' });
    // WHEN
    const result = loadEnvironments(dir);
    // THEN
    expect(!result.ok && result.errors.map((error) => path.basename(error.split(':')[0]))).toEqual(['a.json', 'b.json']);
  });
});
