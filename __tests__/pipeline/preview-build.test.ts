import * as yaml from 'js-yaml';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PreviewBuildspecProps, previewBuildspecObject, TERRAFORM_RELEASE } from '../../src/pipeline/preview-buildspec';
import { Build, CodeBuildStandIn, RunOptions } from '../support/codebuild';
import { PROJECT_ROOT } from '../support/paths';
import { DEPLOYMENT, deployCheckStubs, look, NEW, PREVIOUS, ROLLBACK_DEPLOYMENT } from '../support/deploy-check-stubs';
import { SMOKE_ATTEMPTS } from '../../src/pipeline/deploy-check';

// The previews' build: the generated buildspec and scripts/preview-build.sh, run by bash against stub
// curl, unzip, npm, terraform, aws and docker. Each test checks the recorded sequence of calls.

const DOWNLOAD = 'a terraform release archive, as the stub curl serves it';
const REPO = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server';
const EPOCH = '1700000000';
const PROPS: PreviewBuildspecProps = {
  environment: 'stg',
  region: 'ap-northeast-1',
  repositoryUrl: REPO,
  stateBucket: 'example-terraform-state',
  statePrefix: 'previews/stg',
  ttlDays: 3,
  trustedActors: ['1001', '1002'],
  infraSourceIdentifier: 'infra',
  terraform: { version: '1.11.4', sha256: createHash('sha256').update(DOWNLOAD).digest('hex') },
};
/** What synth writes beside a preview stack (the stub npm puts the number for NUMBER). */
const PREVIEW_JSON = JSON.stringify({
  number: 'NUMBER',
  host: 'pr-NUMBER.stg-api.example.com',
  priorities: [1001, 1002],
  listenerArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef',
});

let codebuild: CodeBuildStandIn;
let infra: string;
let stubs: ReturnType<typeof deployCheckStubs>;
beforeAll(() => {
  codebuild = CodeBuildStandIn.create({ epoch: EPOCH });
  // The pinned checkout of this repository: the script is the one committed here.
  infra = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'stg-infra-'));
  fs.mkdirSync(path.join(infra, 'scripts'));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'scripts', 'preview-build.sh'), path.join(infra, 'scripts', 'preview-build.sh'));
  // what the script prints the deploy check with (node resolves its imports from this repository)
  for (const file of ['register-ts.js', 'deploy-check.ts']) fs.symlinkSync(path.join(PROJECT_ROOT, 'scripts', file), path.join(infra, 'scripts', file));
  stubs = deployCheckStubs();
});
afterAll(() => {
  codebuild.dispose();
  stubs.dispose();
  fs.rmSync(infra, { recursive: true, force: true });
});

function run(env: Record<string, string>, options: RunOptions = {}, props: PreviewBuildspecProps = PROPS): Promise<Build> {
  return codebuild.runBuild(yaml.safeDump(previewBuildspecObject(props)), {
    ...options,
    env: {
      CODEBUILD_SRC_DIR_infra: infra,
      STUB_DOWNLOAD: DOWNLOAD,
      STUB_PREVIEW_JSON: PREVIEW_JSON,
      ...options.env,
      ...env,
    },
  });
}

const pullRequest = (event: string, number: number, actor = '1001') => ({
  CODEBUILD_WEBHOOK_EVENT: event,
  CODEBUILD_WEBHOOK_TRIGGER: `pr/${number}`,
  CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID: actor,
});

/** Each call as "<program> <subcommand>", -chdir and flags left out: the sequence a reader checks. */
function steps(build: Build): string[] {
  return build.calls
    .filter((call) => call.argv[0] !== 'date')
    .map((call) => {
      const [program, ...args] = call.argv;
      const words = args.filter((arg) => !arg.startsWith('-'));
      if (program === 'aws') return `aws ${words.slice(0, 2).join(' ')}`;
      if (program === 'npm') return `npm ${args.filter((arg) => !['--silent', '--', '--no-audit', '--no-fund'].includes(arg)).join(' ')}`;
      if (program === 'curl' || program === 'unzip') return program;
      return `${program} ${words[0] ?? ''}`.trim();
    });
}
const argvOf = (build: Build, program: string, subcommand: string) =>
  build.calls.find((call) => call.argv[0] === program && call.argv.includes(subcommand))?.argv ?? [];

describe('the previews buildspec', () => {
  test('installs the pinned Terraform, checks its hash, and runs the pinned script: nothing from the pull request', () => {
    // WHEN
    const spec = previewBuildspecObject({ ...PROPS, terraform: undefined });
    // THEN
    const install = spec.phases.install.commands.join('\n');
    expect(install).toContain(`https://releases.hashicorp.com/terraform/${TERRAFORM_RELEASE.version}/terraform_${TERRAFORM_RELEASE.version}_linux_amd64.zip`);
    expect(install).toContain(`${TERRAFORM_RELEASE.sha256}  `);
    expect(install).toContain('sha256sum -c -');
    expect(spec.phases.build.commands).toEqual(['PATH="$HOME/.preview-tools":"$PATH" PREVIEW_INFRA_DIR="$CODEBUILD_SRC_DIR_infra" bash "$CODEBUILD_SRC_DIR_infra"/scripts/preview-build.sh']);
    expect(spec.env.variables).toMatchObject({ PREVIEW_ENVIRONMENT: 'stg', PREVIEW_TRUSTED_ACTORS: '1001 1002', PREVIEW_TTL_DAYS: '3', PREVIEW_STATE_PREFIX: 'previews/stg' });
  });

  test('builds as staging does: the Go version file and build args reach the script as variables, and the cache paths are kept', () => {
    // GIVEN the defaults, and a file's goVersionFile, buildArgs and cachePaths
    // WHEN
    const bare = previewBuildspecObject(PROPS);
    const set = previewBuildspecObject({ ...PROPS, goVersionFile: 'go.version', buildArgs: { APP_ENV: 'preview', NODE_VERSION: '20' }, cachePaths: ['/root/.npm/**/*'] });
    // THEN
    expect(bare.env.variables.PREVIEW_GO_VERSION_FILE).toBe('.go-version');
    expect(bare.env.variables).not.toHaveProperty('PREVIEW_BUILD_ARGS');
    expect(bare.cache).toEqual({ paths: ['/go/pkg/**/*'] });
    expect(set.env.variables).toMatchObject({ PREVIEW_GO_VERSION_FILE: 'go.version', PREVIEW_BUILD_ARGS: 'APP_ENV=preview\nNODE_VERSION=20' });
    expect(set.cache).toEqual({ paths: ['/root/.npm/**/*'] });
    expect(previewBuildspecObject({ ...PROPS, cachePaths: [] })).not.toHaveProperty('cache');
  });

  test.each([
    ['a build arg name that is no variable name', { buildArgs: { 'a b': 'x' } }, 'a build arg name must be a variable name'],
    ['GO_VERSION as a build arg', { buildArgs: { GO_VERSION: '1.22' } }, "GO_VERSION is the Go build's own"],
    ['a build arg value of two lines (the script reads one per line)', { buildArgs: { A: 'x\nB=y' } }, 'the value must be a single line'],
  ])('refuses %s', (_, change, message) => {
    // WHEN / THEN
    expect(() => previewBuildspecObject({ ...PROPS, ...change })).toThrow(message);
  });

  test.each([
    ['a version that is not x.y.z', { version: 'latest', sha256: PROPS.terraform!.sha256 }, 'terraform.version must be like 1.11.4'],
    ['a hash that is not 64 hex digits', { version: '1.11.4', sha256: 'abc' }, 'terraform.sha256 must be 64 hex digits'],
  ])('refuses %s', (_, terraform, message) => {
    // WHEN / THEN
    expect(() => previewBuildspecObject({ ...PROPS, terraform })).toThrow(message);
  });
});

describe('a pull request event, run against stubs', () => {
  test('opened by a trusted actor: build and push pr-<n> and pr-<n>.<epoch>, then apply that preview alone', async () => {
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_CREATED', 12));
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).toEqual([
      'curl',
      'unzip',
      'npm ci',
      'npm run synth --preview stg 12',
      'terraform init',
      'terraform state',
      'aws elbv2 describe-rules',
      'aws elbv2 describe-rules',
      'aws ecr get-login-password',
      'docker login',
      'docker build',
      'docker push',
      'docker push',
      'terraform apply',
      'aws s3api delete-object',
    ]);
    // the source has a .go-version (the stand-in's "1.22.5"): the write-up's Go build
    expect(argvOf(build, 'docker', 'build')).toEqual(['docker', 'build', '--build-arg', 'GO_VERSION=1.22.5', '-t', `${REPO}:pr-12`, '-t', `${REPO}:pr-12.${EPOCH}`, build.dir]);
    const apply = argvOf(build, 'terraform', 'apply');
    expect(apply[1]).toMatch(/-chdir=.*\/cdktf\.out\/stacks\/stg-pr-12$/);
    expect(apply).toEqual(expect.arrayContaining(['-auto-approve', '-lock-timeout=15m', `image_tag=pr-12.${EPOCH}`]));
    expect(build.stdout).toContain('PR 12 is live: https://pr-12.stg-api.example.com');
  });

  test.each([
    ['without a Go version file: a plain docker build with the build args', null, []],
    ['with the Go version file: GO_VERSION first, then the build args', '1.23.1\n', ['--build-arg', 'GO_VERSION=1.23.1']],
  ] as const)('%s, each one argument whatever it holds', async (_, goVersion, goArgs) => {
    // GIVEN build args whose value a shell would run or split
    const greeting = "it's $(touch pwned) `touch pwned2` \"q\" ${HOME} a  b";
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_CREATED', 12), { goVersion }, { ...PROPS, buildArgs: { APP_ENV: 'preview', GREETING: greeting } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(argvOf(build, 'docker', 'build')).toEqual([
      'docker', 'build', ...goArgs, '--build-arg', 'APP_ENV=preview', '--build-arg', `GREETING=${greeting}`, '-t', `${REPO}:pr-12`, '-t', `${REPO}:pr-12.${EPOCH}`, build.dir,
    ]);
    expect(steps(build)).toContain('terraform apply');
    if (goVersion === null) expect(build.stdout).toContain('no .go-version in the source: docker build without GO_VERSION');
    expect(fs.readdirSync(build.dir).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });

  test('an empty Go version file gets no preview: refused before the image is built or anything applied', async () => {
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_CREATED', 12), { goVersion: ' \n' });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 1]);
    expect(build.stderr).toContain('PR 12 gets no preview: .go-version is empty');
    expect(steps(build)).not.toContain('docker build');
    expect(steps(build)).not.toContain('terraform apply');
  });

  test('updated: the preview is already in its state, so its slot is its own; it is rebuilt and applied again', async () => {
    // GIVEN the preview's state holds its listener rule
    const build = await run(pullRequest('PULL_REQUEST_UPDATED', 12), { env: { STUB_STATE: 'aws_alb_listener_rule.stg_server_rule\naws_ecs_service.stg_server\n' } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).not.toContain('aws elbv2 describe-rules');
    expect(steps(build)).toContain('terraform apply');
  });

  test.each(['PULL_REQUEST_MERGED', 'PULL_REQUEST_CLOSED'])('%s: mark, destroy, unmark; nothing is built', async (event) => {
    // WHEN
    const build = await run(pullRequest(event, 12, '9999'));
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).toEqual(['curl', 'unzip', 'npm ci', 'npm run synth --preview stg 12', 'terraform init', 'aws s3api put-object', 'terraform destroy', 'aws s3api delete-object']);
    expect(argvOf(build, 'aws', 'put-object')).toEqual(expect.arrayContaining(['previews/stg/pr-12.closed']));
  });

  test.each([
    ['an actor outside trustedActors (a fork, or anyone else)', '31337'],
    ['no actor at all', ''],
  ])('opened by %s: no preview, no image, no Terraform; the build says so', async (_, actor) => {
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_REOPENED', 40, actor));
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).toEqual(['curl', 'unzip', 'npm ci']);
    expect(build.stdout).toContain('no preview for PR 40');
  });

  test('a PR whose slot another preview holds gets no preview: refused before anything is built or applied', async () => {
    // GIVEN priority 1001 is held by another rule on the listener
    const build = await run(pullRequest('PULL_REQUEST_CREATED', 32), { env: { STUB_RULES: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/aaaa' } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 1]);
    expect(steps(build)).not.toContain('docker push');
    expect(steps(build)).not.toContain('terraform apply');
    expect(build.stderr).toContain('PR 32 gets no preview: listener priority 1001');
  });

  test('a destroy that fails halfway leaves its marker, and the reaper finishes it', async () => {
    // GIVEN a close whose destroy fails
    const failed = await run(pullRequest('PULL_REQUEST_CLOSED', 12), { env: { STUB_FAIL: ' destroy ' } });
    // THEN the marker is written and stays
    expect(failed.phases.map((phase) => phase.status)).toEqual([0, 1]);
    expect(steps(failed).slice(-2)).toEqual(['aws s3api put-object', 'terraform destroy']);
    // WHEN the reaper runs and finds the marker (the state itself is fresh)
    const now = new Date(Number(EPOCH) * 1000).toISOString();
    const reaped = await run({ PREVIEW_ACTION: 'reap' }, { env: { STUB_OBJECTS: `previews/stg/pr-12.closed\t${now}\npreviews/stg/pr-12.tfstate\t${now}\n` } });
    // THEN it destroys PR 12 and removes the marker
    expect(reaped.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(reaped).slice(3)).toEqual(['aws s3api list-objects-v2', 'npm run synth --preview stg 12', 'terraform init', 'aws s3api put-object', 'terraform destroy', 'aws s3api delete-object']);
    expect(reaped.stdout).toContain('reaping PR 12: its destroy did not finish');
  });

  test('the reaper destroys previews idle for longer than ttlDays, and leaves the others', async () => {
    // GIVEN PR 7 last applied 4 days ago, PR 9 an hour ago (ttlDays 3)
    const at = (secondsAgo: number) => new Date((Number(EPOCH) - secondsAgo) * 1000).toISOString();
    const objects = `previews/stg/pr-7.tfstate\t${at(4 * 86400)}\npreviews/stg/pr-9.tfstate\t${at(3600)}\n`;
    // WHEN
    const build = await run({ PREVIEW_ACTION: 'reap' }, { env: { STUB_OBJECTS: objects } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.calls.filter((call) => call.argv[0] === 'npm' && call.argv.includes('synth')).map((call) => call.argv.at(-1))).toEqual(['7']);
    expect(build.stdout).toContain('reaping PR 7: idle for more than 3 days');
  });

  test('the reaper with nothing to do destroys nothing', async () => {
    // WHEN
    const build = await run({ PREVIEW_ACTION: 'reap' });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build).slice(3)).toEqual(['aws s3api list-objects-v2']);
    expect(build.stdout).toContain('nothing to reap');
  });

  test('a download whose hash differs from the pinned one stops the build in install', async () => {
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_CREATED', 12), { env: { STUB_DOWNLOAD: 'something else' } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([1]);
    expect(steps(build)).toEqual(['curl']);
  });

  test.each([
    ['a push (not a pull request)', { CODEBUILD_WEBHOOK_EVENT: 'PUSH', CODEBUILD_WEBHOOK_TRIGGER: 'branch/develop' }, "no preview action for the event 'PUSH'"],
    ['a pull request event without a number', { CODEBUILD_WEBHOOK_EVENT: 'PULL_REQUEST_CREATED', CODEBUILD_WEBHOOK_TRIGGER: 'branch/x', CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID: '1001' }, 'not a pull request build'],
    ['an unknown action', { PREVIEW_ACTION: 'wake' }, "unknown PREVIEW_ACTION 'wake'"],
  ])('%s fails the build with one line, having changed nothing', async (_, env, message) => {
    // WHEN
    const build = await run(env as Record<string, string>);
    // THEN
    expect(build.phases.at(-1)!.status).toBe(1);
    expect(steps(build)).toEqual(['curl', 'unzip', 'npm ci']);
    expect(build.stderr).toContain(message);
  });
});

describe('the deploy check after a preview’s apply, run against stub aws and curl', () => {
  const HEADER_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/access-key-AbCdEf';
  const HEADER_VALUE = 'the-header-secret-value';
  const CHECKED: PreviewBuildspecProps = {
    ...PROPS,
    deployCheck: {
      cluster: 'stg_ecs_cluster',
      servicePrefix: 'stg-server-pr-',
      waitTimeoutSeconds: 600,
      smokeTest: { url: 'https://{host}/healthcheck', header: { name: 'X-Staging-Key', valueFrom: HEADER_SECRET } },
    },
  };
  const URL = 'https://pr-12.stg-api.example.com/healthcheck';
  const checked = (env: Record<string, string> = {}, props: PreviewBuildspecProps = CHECKED) =>
    run(pullRequest('PULL_REQUEST_UPDATED', 12), { stubDir: stubs.dir, secrets: { [HEADER_SECRET]: HEADER_VALUE }, env }, props);
  const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

  test('the buildspec passes the check its cluster, services and smoke test, the header’s value by reference only', () => {
    // WHEN
    const spec = previewBuildspecObject(CHECKED);
    // THEN
    expect(spec.env.variables).toMatchObject({
      PREVIEW_CLUSTER: 'stg_ecs_cluster', PREVIEW_SERVICE_PREFIX: 'stg-server-pr-', PREVIEW_WAIT_TIMEOUT_SECONDS: '600',
      PREVIEW_SMOKE_URL: 'https://{host}/healthcheck', PREVIEW_ACCESS_HEADER_NAME: 'X-Staging-Key',
    });
    expect(spec.env['secrets-manager']).toEqual({ STG_ACCESS_HEADER_VALUE: HEADER_SECRET });
    expect(previewBuildspecObject({ ...CHECKED, deployCheck: { ...CHECKED.deployCheck!, smokeTest: { skip: 'smoke test skipped: why' } } }).env.variables).toMatchObject({ PREVIEW_SMOKE_SKIP: 'smoke test skipped: why' });
    expect(previewBuildspecObject(PROPS).env.variables).not.toHaveProperty('PREVIEW_CLUSTER');
  });

  test.each<[string, Partial<NonNullable<PreviewBuildspecProps['deployCheck']>>, string]>([
    ['an empty cluster', { cluster: '' }, 'deployCheck.cluster: must be a non-empty single line'],
    ['a service prefix of two lines', { servicePrefix: 'a\nb' }, 'deployCheck.servicePrefix: must be a non-empty single line'],
    ['a wait past 600 s', { waitTimeoutSeconds: 601 }, 'deployCheck.waitTimeoutSeconds: must be an integer from 1 to 600'],
    ['a URL with a brace other than {host}', { smokeTest: { url: 'https://{pr}.example.com/healthcheck' } }, 'deployCheck.smokeTest.url: must be an http(s) URL'],
    ['a header value in place of its reference', { smokeTest: { url: 'https://{host}/healthcheck', header: { name: 'X-Staging-Key', valueFrom: 'hunter2' } } }, 'deployCheck.smokeTest.header.valueFrom'],
  ])('refuses %s', (_, change, message) => {
    // WHEN / THEN
    expect(() => previewBuildspecObject({ ...CHECKED, deployCheck: { ...CHECKED.deployCheck!, ...change } })).toThrow(message);
  });

  test('after the apply: the deployment it started is waited for, then the preview’s own host answers the smoke test with the header', async () => {
    // WHEN the rollout has COMPLETED at the first look and the health check answers 200
    const build = await checked();
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    const deploy = steps(build).slice(steps(build).indexOf('terraform state'));
    expect(deploy).toEqual([
      'terraform state', 'aws elbv2 describe-rules', 'aws elbv2 describe-rules', 'aws ecs describe-services', 'aws ecr get-login-password', 'docker login', 'docker build', 'docker push', 'docker push',
      'terraform apply', 'aws s3api delete-object', 'aws ecs describe-services', 'aws ecs describe-services', 'curl',
    ]);
    const [before, started, waited] = build.calls.filter((call) => call.argv[2] === 'describe-services');
    for (const call of [before, started, waited]) expect(call.argv.slice(3, 9)).toEqual(['--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--services', 'stg-server-pr-12']);
    expect(before.argv).toContain('services[0].taskDefinition');
    const smoke = build.calls.find((call) => call.argv[0] === 'curl' && call.argv.includes('--write-out'))!;
    expect(smoke.argv.at(-2)).toBe(URL);
    expect(smoke.argv.at(-1)).toBe(`<header>X-Staging-Key: ${HEADER_VALUE}`);
    expect(build.stdout).toContain(`deploy: smoke test: ${URL} answered 200 (try 1 of ${SMOKE_ATTEMPTS})`);
    expect(build.stdout).toContain('PR 12 is live: https://pr-12.stg-api.example.com');
  });

  test('a smoke test that never answers 2xx rolls the preview back to the revision it ran before, and fails the build; no tag is moved', async () => {
    // GIVEN the health check answers 503 every time, and the rollback completes
    const build = await checked({ STUB_CURL: '503', STUB_LOOKS: [look(), look({ id: ROLLBACK_DEPLOYMENT, definition: PREVIOUS })].join('\n') });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    const updates = build.calls.filter((call) => call.argv[2] === 'update-service');
    expect(updates).toHaveLength(1);
    expect(updates[0].argv.slice(3, 11)).toEqual(['--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--service', 'stg-server-pr-12', '--task-definition', PREVIOUS]);
    expect(build.calls.filter((call) => ['put-image', 'batch-get-image'].includes(call.argv[2]))).toEqual([]);
    expect(lastLine(build.stderr)).toBe(`deploy failed: the smoke test of ${URL} answered 503 after ${SMOKE_ATTEMPTS} tries; rolled back to stg-server:7`);
    expect(build.stdout).not.toContain('PR 12 is live');
  });

  test('the circuit breaker turned the preview’s rollout back: the build fails with one line, no smoke test', async () => {
    // GIVEN the PRIMARY deployment is back on the revision before
    const build = await checked({ STUB_LOOKS: look({ id: 'ecs-svc/1111111111111111111', definition: PREVIOUS, rollout: 'IN_PROGRESS', deployments: 2 }) });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(lastLine(build.stderr)).toMatch(new RegExp(`^deploy failed: the PRIMARY deployment is now ecs-svc/1111111111111111111 on stg-server:7, not this deploy's stg-server:8 \\(${DEPLOYMENT}\\): the circuit breaker rolled it back`));
    expect(build.calls.filter((call) => call.argv[0] === 'curl' && call.argv.includes('--write-out'))).toEqual([]);
  });

  test('a first apply (no service before it) that fails its smoke test has nothing to roll back to, and says so', async () => {
    // GIVEN no service before the apply
    const build = await checked({ STUB_PREVIOUS: 'None', STUB_CURL: '502' });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(build.calls.filter((call) => call.argv[2] === 'update-service')).toEqual([]);
    expect(lastLine(build.stderr)).toBe(`deploy failed: the smoke test of ${URL} answered 502 after ${SMOKE_ATTEMPTS} tries; no revision ran before this deploy, so there is nothing to roll back to`);
    expect(NEW).toMatch(/:8$/);
  });

  test('a rule the build cannot pass (an allowlist): the skip line, and the preview is live after its rollout', async () => {
    // GIVEN the reason synth gave
    const skip = 'smoke test skipped: listenerRule.access.sourceIps admits only its CIDRs';
    const build = await checked({}, { ...CHECKED, deployCheck: { ...CHECKED.deployCheck!, smokeTest: { skip } } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.stdout).toContain(`deploy: warning: ${skip}\n`);
    expect(build.calls.filter((call) => call.argv[0] === 'curl' && call.argv.includes('--write-out'))).toEqual([]);
    expect(build.stdout).toContain('PR 12 is live');
  });

  test('a buildspec made before the check (no cluster in it) applies and says there was no check', async () => {
    // WHEN
    const build = await run(pullRequest('PULL_REQUEST_UPDATED', 12), { stubDir: stubs.dir });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.calls.filter((call) => call.argv[1] === 'ecs')).toEqual([]);
    expect(build.stdout).toContain('PR 12: no deploy check');
  });
});

describe('npm run previews', () => {
  const stubDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'stg-previews-cli-'));
  afterAll(() => fs.rmSync(stubDir, { recursive: true, force: true }));
  const cli = (args: string[], listing: string) => {
    fs.writeFileSync(path.join(stubDir, 'aws'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${stubDir}/calls"\nprintf ${JSON.stringify(listing)}\n`, { mode: 0o755 });
    return require('node:child_process').spawnSync(process.execPath, ['-r', './scripts/register-ts.js', 'scripts/previews.ts', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      // the examples, named: a team's environments/ must not change what this test sees
      env: { ...process.env, STAGING_ENVIRONMENTS_DIR: 'examples', PATH: `${stubDir}:${process.env.PATH}` },
    });
  };

  test('list: each preview of the examples’ stg from its state object, with its URL, priority and a pending destroy', () => {
    // GIVEN the state bucket holds PR 7 and PR 12, and PR 12's close left its marker
    const listing = 'previews/stg/pr-12.closed\t2026-12-01T10:00:00.000Z\npreviews/stg/pr-12.tfstate\t2026-11-30T10:00:00.000Z\npreviews/stg/pr-7.tfstate\t2026-12-01T09:00:00.000Z\n';
    // WHEN
    const run = cli(['list'], listing);
    // THEN
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('stg: 2 preview state(s), destroyed after 3 days without a deploy');
    expect(run.stdout).toContain('PR 12  https://pr-12.stg-api.example.com  priority 1002  last written 2026-11-30T10:00:00.000Z  (closed: destroy pending)');
    expect(run.stdout).toContain('PR 7  https://pr-7.stg-api.example.com  priority 1007');
    expect(fs.readFileSync(path.join(stubDir, 'calls'), 'utf8')).toContain('s3api list-objects-v2 --bucket example-terraform-state --prefix previews/stg/');
  });

  test.each([
    [['destroy', 'stg', 'twelve'], 'the number must be a pull request number'],
    [['destroy', 'preview', '12'], 'examples/preview.json: previews: the environment has no previews section'],
  ])('%j is a one-line error, exit 1', (args, message) => {
    // WHEN
    const run = cli(args as string[], '');
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
