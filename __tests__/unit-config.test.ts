import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './support/paths';

/** What `npm run test:unit` runs (jest.unit.config.js), read in a process of its own: the config sets variables. */
function unitConfig(): { ignored: string[]; env: Record<string, string> } {
  const script = `const c = require('./jest.unit.config.js'); console.log(JSON.stringify({ ignored: c.testPathIgnorePatterns, env: { TERRAFORM_BIN: process.env.TERRAFORM_BIN, MOTO_PYTHON: process.env.MOTO_PYTHON } }))`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

describe('npm run test:unit (jest.unit.config.js)', () => {
  const { ignored, env } = unitConfig();
  const isIgnored = (file: string) => ignored.some((pattern) => new RegExp(pattern).test(file));
  const files = testFiles(path.join(PROJECT_ROOT, '__tests__'));

  test('leaves out exactly the suites that use the Terraform, emulator or database server helpers', () => {
    // GIVEN every test file WHEN sorted by the unit config THEN the ones left out are those calling a describeWith… helper
    const needServices = files.filter((file) => /\bdescribeWith(Terraform|Emulator|DatabaseServer)\(/.test(fs.readFileSync(file, 'utf8')));
    expect(needServices.length).toBeGreaterThan(10);
    expect(files.filter(isIgnored).sort()).toEqual(needServices.sort());
    // the emulator, Terraform and database suites are among them; this file is not
    expect(isIgnored(path.join(PROJECT_ROOT, '__tests__', 'emulator', 'examples.test.ts'))).toBe(true);
    expect(isIgnored(path.join(PROJECT_ROOT, '__tests__', 'terraform', 'validate.test.ts'))).toBe(true);
    expect(isIgnored(__filename)).toBe(false);
  });

  test('points Terraform and moto nowhere, so a suite that runs either without its helper fails there', () => {
    expect(fs.existsSync(env.TERRAFORM_BIN)).toBe(false);
    expect(fs.existsSync(env.MOTO_PYTHON)).toBe(false);
  });
});
