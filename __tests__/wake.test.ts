import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOURS, PREVIEWS } from './support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/paths';

/** `npm run wake -- <args>` in `cwd`, with a stand-in `aws` that records its arguments and answers `exit`. */
function wake(args: string[], cwd = PROJECT_ROOT, exit = 0) {
  const stubDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-wake-'));
  try {
    fs.writeFileSync(path.join(stubDir, 'aws'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${stubDir}/calls"\n[ ${exit} = 0 ] || echo "An error occurred (ValidationException)" >&2\nexit ${exit}\n`, { mode: 0o755 });
    const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/wake.ts'), ...args], {
      cwd,
      encoding: 'utf8',
      // in the project itself, the examples, named: a team's environments/ must not change what this test sees
      env: { ...process.env, ...(cwd === PROJECT_ROOT ? { STAGING_ENVIRONMENTS_DIR: 'examples' } : {}), PATH: `${stubDir}:${process.env.PATH}` },
    });
    const callsFile = path.join(stubDir, 'calls');
    return { ...run, calls: fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n') : [] };
  } finally {
    fs.rmSync(stubDir, { recursive: true, force: true });
  }
}

describe('npm run wake', () => {
  test('wakes a sleeping staging stack with the one Application Auto Scaling call: its capacities set to desiredCount', () => {
    // GIVEN the preview example sleeps outside weekdays 08:00-21:00
    // WHEN
    const run = wake(['preview']);
    // THEN
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      'application-autoscaling register-scalable-target --region ap-northeast-1 --service-namespace ecs --resource-id service/preview_ecs_cluster/preview-server --scalable-dimension ecs:service:DesiredCount --min-capacity 1 --max-capacity 1',
    ]);
    expect(run.stdout).toContain('preview: waking to 1 task(s) until the next sleep (cron(0 21 ? * MON-FRI *), Asia/Tokyo)');
  });

  test("wakes a preview, which sleeps on staging's hours, by its stack name", () => {
    // GIVEN stg with working hours and previews of 2 tasks
    const stg = fixtureJson('stg');
    for (const [dotted, value] of Object.entries({ ...structuredClone(PREVIEWS), 'service.schedule': HOURS, 'previews.desiredCount': 2 })) setPath(stg, dotted, value);
    const project = tempProject({ stg });
    try {
      // WHEN
      const run = wake(['stg-pr-12'], project.root);
      // THEN
      expect(run.stderr).toBe('');
      expect(run.calls).toEqual([expect.stringContaining('--resource-id service/stg_ecs_cluster/stg-server-pr-12 --scalable-dimension ecs:service:DesiredCount --min-capacity 2 --max-capacity 2')]);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('--print prints the call and makes none', () => {
    const run = wake(['preview', '--print']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^aws application-autoscaling register-scalable-target .* --min-capacity 1 --max-capacity 1$/m);
    expect(run.calls).toEqual([]);
  });

  test.each([
    [['stg'], 'examples/stg.json: service.schedule: stg has no working hours, so it never sleeps'],
    [['stg-pr-12'], 'examples/stg.json: previews.schedule: stg-pr-12 has no working hours, so it never sleeps'],
    [['preview-pr-3'], 'examples/preview.json: previews: the environment has no previews section, so there is no preview-pr-3'],
    [['nope'], 'no stack "nope"; the stacks of examples/ are: preview, stg'],
    [[], 'usage: npm run wake -- <stack> [--print]'],
    [['preview', 'stg'], 'usage: npm run wake -- <stack> [--print]'],
  ])('%j is a one-line error, exit 1, and no call', (args, message) => {
    const run = wake(args as string[]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`error: ${message}${message.startsWith('usage') ? '   (a staging stack, or a preview: <stack>-pr-<number>)' : ''}`);
    expect(run.calls).toEqual([]);
  });

  test('a refused call is one error line naming it, exit 1', () => {
    const run = wake(['preview'], PROJECT_ROOT, 254);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('error: aws application-autoscaling register-scalable-target failed: An error occurred (ValidationException)');
  });
});
