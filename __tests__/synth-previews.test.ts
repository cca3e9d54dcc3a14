import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize, SynthOptions } from '../src/synth/synth';
import { synthesizeFromCommandLine } from '../src/synth/synth-command';
import { PREVIEWS } from './support/bad-input-cases';
import { fixtureJson, snapshot, tempProject } from './support/environments';

// Which previews synth writes, and the one-line refusals: the band is full, two numbers share a slot,
// an environment without previews, numbers that are not pull requests. Nothing is written then.

const stgWithPreviews = (): Record<string, any> => ({ ...fixtureJson('stg'), ...structuredClone(PREVIEWS) });

function run(previews: SynthOptions['previews'], files: Record<string, unknown> = { stg: stgWithPreviews() }) {
  const project = tempProject(files);
  const lines: string[] = [];
  try {
    const result = synthesize({ environmentsDir: project.environmentsDir, outdir: project.outdir, previews, info: (l) => lines.push(l), error: (l) => lines.push(l), warn: (l) => lines.push(l) });
    return { exitCode: result.exitCode, lines, written: snapshot(project.outdir) };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}
const stacksIn = (written: Record<string, string>) => [...new Set(Object.keys(written).filter((file) => file.endsWith('cdk.tf.json')).map((file) => path.basename(path.dirname(file))))].sort();

describe('synth with previews', () => {
  test('--preview stg 12 writes that preview alone: not the staging stack', () => {
    // WHEN
    const { exitCode, written, lines } = run({ environment: 'stg', numbers: [12] });
    // THEN
    expect(exitCode).toBe(0);
    expect(stacksIn(written)).toEqual(['stg-pr-12']);
    expect(lines).toEqual([expect.stringMatching(/^stg-pr-12: 5 resources, https:\/\/pr-12\.stg-api\.example\.com, priority 1002 → /)]);
  });

  test('PREVIEW_PULL_REQUESTS beside a normal synth: staging and each preview', () => {
    // WHEN
    const { exitCode, written } = run({ numbers: [7, 12] });
    // THEN
    expect(exitCode).toBe(0);
    expect(stacksIn(written)).toEqual(['stg', 'stg-pr-12', 'stg-pr-7']);
  });

  test.each([
    ['the band is full: more open previews than maxOpen', { numbers: Array.from({ length: 11 }, (_, i) => i + 1) }, /previews: the band is full: 11 previews asked for, maxOpen is 10/],
    ['two numbers maxOpen apart share a slot', { numbers: [7, 17] }, /previews: PR 17 would take slot 7 of the band, which PR 7 holds \(numbers 10 apart share a slot\); close one, or raise maxOpen/],
    ['a number that is no pull request', { environment: 'stg', numbers: [0] }, /previews: must be pull request numbers from 1 to 999999999 \(got 0\)/],
  ])('%s: one line naming the file, nothing written', (_, previews, message) => {
    // WHEN
    const { exitCode, written, lines } = run(previews);
    // THEN
    expect(exitCode).toBe(1);
    expect(written).toEqual({});
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^error: .*stg\\.json: ${message.source}`)));
  });

  test('--preview of an environment without previews is refused', () => {
    // WHEN
    const { exitCode, lines } = run({ environment: 'stg', numbers: [3] }, { stg: fixtureJson('stg') });
    // THEN
    expect(exitCode).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/stg\.json: previews: this environment has no previews section/));
  });
});

describe('npm run synth -- --preview / PREVIEW_PULL_REQUESTS', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    [['--preview', 'stg'], {}, '--preview takes a stack and one pull request number'],
    [['--preview', 'stg', '12', 'preview'], {}, '--preview takes a stack and one pull request number'],
    [['stg', '--preview', 'stg', '12'], {}, '--preview takes a stack and one pull request number'],
    [[], { PREVIEW_PULL_REQUESTS: '7,twelve' }, 'PREVIEW_PULL_REQUESTS must be pull request numbers separated by commas, like 7,12 (got "7,twelve")'],
    [['--previews'], {}, 'unknown option --previews'],
  ])('%j with %j: exit 1 and the usage, before anything is read', (argv, env, message) => {
    // WHEN
    const code = synthesizeFromCommandLine(argv, env);
    // THEN
    expect(code).toBe(1);
    expect(errors.join('\n')).toContain(`error: ${message}`);
    expect(errors.join('\n')).toContain('usage: npm run synth');
  });
});

describe('previews with working hours and Spot', () => {
  const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
  const withHours = () => {
    const stg = stgWithPreviews();
    stg.service.schedule = HOURS;
    return stg;
  };
  const resources = (written: Record<string, string>, stack: string) => JSON.parse(written[path.join('stacks', stack, 'cdk.tf.json')]).resource;
  const sids = (policy: string) => JSON.parse(policy).Statement.map((statement: { Sid: string }) => statement.Sid);

  test("a preview inherits staging's hours and runs on Spot: its own target and actions, no cluster of its own", () => {
    // WHEN
    const { exitCode, written } = run({ numbers: [12] }, { stg: withHours() });
    // THEN
    expect(exitCode).toBe(0);
    const preview = resources(written, 'stg-pr-12');
    expect(preview.aws_ecs_service.stg_server.capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE_SPOT', weight: 1 }]);
    expect(preview.aws_ecs_service.stg_server.lifecycle.ignore_changes).toEqual(['desired_count']);
    expect(preview.aws_appautoscaling_target.stg_server.resource_id).toBe('service/stg_ecs_cluster/${aws_ecs_service.stg_server.name}');
    expect(preview.aws_appautoscaling_scheduled_action.stg_server_sleep).toMatchObject({ schedule: HOURS.sleep, timezone: HOURS.timezone, depends_on: ['aws_appautoscaling_scheduled_action.stg_server_wake'] });
    expect(preview).not.toHaveProperty('aws_ecs_cluster_capacity_providers');
    // AND the staging cluster offers Spot for it, though staging itself stays on the launch type
    const staging = resources(written, 'stg');
    expect(staging.aws_ecs_cluster_capacity_providers.stg_ecs_cluster.capacity_providers).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(staging.aws_ecs_service.stg_server.launch_type).toBe('FARGATE');
  });

  test("the previews' build role may manage Application Auto Scaling targets only when previews have hours", () => {
    // WHEN
    const scheduled = resources(run({ numbers: [] }, { stg: withHours() }).written, 'stg');
    const always = resources(run({ numbers: [] }).written, 'stg');
    // THEN
    expect(sids(scheduled.aws_iam_role_policy.previews_build.policy)).toEqual(expect.arrayContaining(['PreviewWorkingHoursRead', 'PreviewWorkingHours', 'AutoScalingServiceRole']));
    expect(sids(always.aws_iam_role_policy.previews_build.policy)).not.toContain('PreviewWorkingHours');
  });
});

describe("the previews' build builds the image as staging's does", () => {
  const resources = (written: Record<string, string>) => JSON.parse(written[path.join('stacks', 'stg', 'cdk.tf.json')]).resource;

  test("pipeline.goVersionFile, buildArgs and cachePaths reach both projects; a file's \"${\" reaches AWS as written", () => {
    // GIVEN stg with previews, build args (one holding "${"), its own Go version file and cache paths
    const stg = stgWithPreviews();
    stg.pipeline = { ...stg.pipeline, goVersionFile: 'go.version', buildArgs: { APP_ENV: 'staging', GREETING: 'hi ${name}' }, cachePaths: ['/root/.npm/**/*'] };
    // WHEN
    const { exitCode, written } = run({ numbers: [] }, { stg });
    // THEN staging's buildspec passes them on its docker build, escaped once for Terraform
    expect(exitCode).toBe(0);
    const { aws_codebuild_project: projects } = resources(written);
    const staging = projects.stg_server_build;
    expect(staging.source.buildspec).toContain(`--build-arg 'APP_ENV=staging' --build-arg 'GREETING=hi $\${name}'`);
    expect(staging.source.buildspec).toContain("if [ -f 'go.version' ]");
    expect(staging.source.buildspec).toContain('- /root/.npm/**/*');
    // AND the previews' buildspec hands them to the script, and its project keeps the cache paths
    const previews = JSON.parse(projects.previews_build.source.buildspec.replace(/\$\$\{/g, '${'));
    expect(previews.env.variables).toMatchObject({ PREVIEW_GO_VERSION_FILE: 'go.version', PREVIEW_BUILD_ARGS: 'APP_ENV=staging\nGREETING=hi ${name}' });
    expect(previews.cache).toEqual({ paths: ['/root/.npm/**/*'] });
    expect(projects.previews_build.cache).toEqual({ type: 'LOCAL', modes: ['LOCAL_CUSTOM_CACHE'] });
  });

  test('with cachePaths [], neither buildspec has a cache section and the previews project no cache', () => {
    // GIVEN
    const stg = stgWithPreviews();
    stg.pipeline = { ...stg.pipeline, cachePaths: [] };
    // WHEN
    const { exitCode, written } = run({ numbers: [] }, { stg });
    // THEN
    expect(exitCode).toBe(0);
    const { aws_codebuild_project: projects } = resources(written);
    expect(projects.stg_server_build.source.buildspec).not.toMatch(/^cache:/m);
    expect(JSON.parse(projects.previews_build.source.buildspec)).not.toHaveProperty('cache');
    expect(projects.previews_build).not.toHaveProperty('cache');
  });
});
