import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureJson, snapshot, tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/paths';

// `npm run review -- <stack>`: one stack reviewed, as synth, plan and buildspec take a stack name.
// Terraform is left out (TERRAFORM_BIN names nothing), so plan.txt says so and the run stays short.

const REVIEW = ['-r', path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'), path.join(PROJECT_ROOT, 'scripts', 'review.ts')];

function review(cwd: string, args: string[]) {
  const noTerraform = path.join(os.tmpdir(), `stg-no-terraform-${process.pid}`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['CDKTF_OUTDIR', 'STAGING_ENVIRONMENTS_DIR'].includes(name)));
  return spawnSync(process.execPath, [...REVIEW, ...args], { cwd, encoding: 'utf8', env: { ...env, TERRAFORM_BIN: noTerraform } });
}

describe('npm run review -- <stack>', () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => {
    project = tempProject({ stg: fixtureJson('stg'), preview: fixtureJson('preview') });
  });
  afterEach(() => fs.rmSync(project.root, { recursive: true, force: true }));

  test('an unknown stack is a one-line error listing the stacks, exit 1, and nothing is synthesized or written', () => {
    // GIVEN a project with stg and preview
    // WHEN
    const run = review(project.root, ['nope']);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: no stack "nope"; the stacks of environments/ are: preview, stg\n');
    expect(run.stdout).toBe('');
    expect(fs.existsSync(project.outdir)).toBe(false);
  });

  test('a named stack is synthesized and reviewed alone; the other stacks’ reviews stay as they were', () => {
    // GIVEN an earlier review of preview
    const previewReview = path.join(project.outdir, 'review', 'preview');
    fs.mkdirSync(previewReview, { recursive: true });
    fs.writeFileSync(path.join(previewReview, 'main.tf'), '# the earlier review\n');
    const before = snapshot(previewReview);
    // WHEN
    const run = review(project.root, ['stg']);
    // THEN stg's four files, and nothing of preview's is touched or synthesized
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(project.outdir, 'review', 'stg')).sort()).toEqual(['cost.md', 'diagram.md', 'main.tf', 'plan.txt']);
    expect(run.stdout.trim().split('\n').filter((line) => !line.startsWith('stg: '))).toEqual([]);
    expect(snapshot(previewReview)).toEqual(before);
    expect(fs.readdirSync(path.join(project.outdir, 'stacks'))).toEqual(['stg']);
    expect(fs.readFileSync(path.join(project.outdir, 'review', 'stg', 'main.tf'), 'utf8')).toContain('resource "aws_ecs_cluster" "stg_ecs_cluster"');
  });

  test('an unknown flag is the usage, exit 2', () => {
    // WHEN
    const run = review(project.root, ['stg', '--all']);
    // THEN
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('usage: npm run review [-- <stack>...] [--docs] (unknown: --all)\n');
  });
});
