import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkEnvironmentFile } from '../../src/environment/load';
import { headRefPattern } from '../../src/aws/codebuild';
import { BRANCH_NAME, branchNameProblem } from '../../src/environment/rules/pipeline';
import { fixtureJson, setPath } from '../support/environments';

const VALID = ['develop', 'main', 'feature/x', 'release/1.2', 'user/jdoe/fix-login', 'v1.0_rc', 'a.b', '日本語', 'feature@x', 'x.lockfile'];
const INVALID = [
  '', 'refs/heads/main', 'refs/tags/v1', 'feature x', 'tab\tname', 'del\x7f', 'release..1', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b',
  'main@{1}', '@', 'HEAD', '-main', '/main', 'main/', 'feature//x', '.hidden', 'feature/.x', 'release.lock', 'hotfix.lock/x', 'main.',
];

describe('pipeline.branch', () => {
  test.each(['feature/x', 'release/1.2', 'develop'])('%s is accepted at synth', (branch) => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-branch-'));
    const file = path.join(dir, 'stg.json');
    fs.writeFileSync(file, JSON.stringify(setPath(fixtureJson('stg'), 'pipeline.branch', branch)));
    // WHEN
    const report = checkEnvironmentFile(file);
    // THEN
    expect(report.errors).toEqual([]);
    expect(report.config?.pipeline?.branch).toBe(branch);
  });

  test('feature/x gives the webhook filter that matches its pushes', () => {
    expect(new RegExp(headRefPattern('feature/x')).test('refs/heads/feature/x')).toBe(true);
  });

  test.each(VALID)('%s is a branch name', (branch) => {
    expect(branchNameProblem(branch)).toBeUndefined();
  });

  test.each(INVALID)('%j is not', (branch) => {
    expect(branchNameProblem(branch)).toMatch(/^must be a (git )?branch name/);
  });

  test('"refs/heads/main" is told to write "main"', () => {
    expect(branchNameProblem('refs/heads/main')).toBe('must be a branch name without "refs/heads/": write "main"');
  });

  test('the editor schema’s regex agrees with the synth check on every case', () => {
    for (const branch of [...VALID, ...INVALID]) expect([branch, BRANCH_NAME.test(branch)]).toEqual([branch, branchNameProblem(branch) === undefined]);
  });
});
