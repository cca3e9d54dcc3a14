import * as yaml from 'js-yaml';
import { BuildspecProps, buildspecObject, renderBuildspec } from '../../src/pipeline/buildspec';
import { deployCheckScript, POLL_SECONDS, SMOKE_ATTEMPTS, SMOKE_MAX_TIME_SECONDS, SMOKE_RETRY_SECONDS } from '../../src/pipeline/deploy-check';
import { Build, Call, CodeBuildStandIn } from '../support/codebuild';
import { DEPLOYMENT, deployCheckStubs, look, MANIFEST, MEDIA_TYPE, NEW, PREVIOUS, PREVIOUS_DIGEST, ROLLBACK_DEPLOYMENT } from '../support/deploy-check-stubs';

// Staging's deploy check (issue 28, item 5), as CodeBuild runs the generated buildspec: bash, with stub
// docker, aws, curl, date and sleep recording every call. The stub clock moves only when the build sleeps.

const REPO = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server';
const URL = 'https://stg-api.example.com/healthcheck';
const HEADER_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/access-key-AbCdEf';
const HEADER_VALUE = 'the-header-secret-value';
const PROPS: BuildspecProps = {
  repositoryUrl: REPO,
  tagPrefix: 'stg',
  region: 'ap-northeast-1',
  cluster: 'stg_ecs_cluster',
  service: 'stg-server',
  family: 'stg-server',
  smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom: HEADER_SECRET } },
};
const PUBLIC: BuildspecProps = { ...PROPS, smokeTest: { url: URL } };
const OTHER_DEPLOYMENT = 'ecs-svc/1111111111111111111';
const ROLLED_BACK = 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1111111111111111111.';

let codebuild: CodeBuildStandIn;
let stubs: ReturnType<typeof deployCheckStubs>;
beforeAll(() => {
  codebuild = CodeBuildStandIn.create({ epoch: '1700000000' });
  stubs = deployCheckStubs();
});
afterAll(() => {
  codebuild.dispose();
  stubs.dispose();
});

/** The build with these stub answers (see deploy-check-stubs.ts), the header's secret resolved as CodeBuild would. */
function run(props: BuildspecProps, env: Record<string, string> = {}, fail?: string): Promise<Build> {
  return codebuild.runBuild(renderBuildspec(props), { stubDir: stubs.dir, env, fail, secrets: { [HEADER_SECRET]: HEADER_VALUE } });
}
const looks = (...states: string[]) => states.join('\n');

/** The calls that matter to the deploy: aws, curl, sleep and docker push, each as its words (flags' values kept); not the logins. */
const deployCalls = (build: Build): Call[] =>
  build.calls.filter((call) => ['aws', 'curl', 'sleep', 'docker'].includes(call.argv[0]) && !['login', 'build'].includes(call.argv[1]) && call.argv[2] !== 'get-login-password');
const named = (build: Build, program: string, subcommand: string) => build.calls.filter((call) => call.argv[0] === program && (call.argv[1] === subcommand || call.argv[2] === subcommand));
const step = (call: Call) => (call.argv[0] === 'aws' ? call.argv.slice(0, 3).join(' ') : call.argv[0] === 'docker' ? `docker ${call.argv[1]}` : call.argv.slice(0, call.argv[0] === 'sleep' ? 2 : 1).join(' '));
const steps = (build: Build) => deployCalls(build).map(step);
const value = (call: Call, flag: string) => call.argv[call.argv.indexOf(flag) + 1];
/** The build's one failure line: what stderr ends with. */
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

const ROLLOUT_LOOK = ['aws ecs describe-services'];
const BEFORE_PUSH = ['aws ecs describe-services', 'aws ecr describe-images', 'docker push', 'docker push', 'aws ecs update-service'];
const TRIES = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? ['curl'] : [`sleep ${SMOKE_RETRY_SECONDS}`, 'curl'])).flat();

describe('the deploy check, generated', () => {
  test('no "${" or "%{" anywhere (Terraform would read either), and no `aws ecs wait`', () => {
    // GIVEN the largest buildspec: a header, a shorter wait
    // WHEN
    const text = renderBuildspec({ ...PROPS, waitTimeoutSeconds: 120 });
    // THEN
    expect(deployCheckScript()).not.toMatch(/[$%]\{/);
    expect(text).not.toMatch(/[$%]\{/);
    expect(text).not.toContain('ecs wait');
    expect(text).toContain("DEPLOY_TIMEOUT='120'");
  });

  test('the check is one multi-line command, a literal block in the YAML, read back exactly', () => {
    // WHEN
    const text = renderBuildspec(PROPS);
    const check = buildspecObject(PROPS).phases.build.commands.at(-1)!;
    // THEN
    expect(check.startsWith('(\n# the deploy check: src/pipeline/deploy-check.ts\n')).toBe(true);
    expect(check.endsWith('\n)')).toBe(true);
    expect(text).toContain('      - |-\n        (\n');
    expect(yaml.safeLoad(text)).toEqual(buildspecObject(PROPS));
  });

  test('the header value is a reference in env, never in the text: Secrets Manager or Parameter Store', () => {
    // GIVEN a secret, an SSM parameter name and an SSM parameter ARN
    const parameter = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/access-key';
    const env = (valueFrom: string) => buildspecObject({ ...PROPS, smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom } } }).env;
    // WHEN / THEN
    expect(env(HEADER_SECRET)).toEqual({ shell: 'bash', 'secrets-manager': { STG_ACCESS_HEADER_VALUE: HEADER_SECRET } });
    expect(env('/stg/access-key')).toEqual({ shell: 'bash', 'parameter-store': { STG_ACCESS_HEADER_VALUE: '/stg/access-key' } });
    expect(env(parameter)).toEqual({ shell: 'bash', 'parameter-store': { STG_ACCESS_HEADER_VALUE: parameter } });
    expect(buildspecObject(PUBLIC).env).toEqual({ shell: 'bash' });
    expect(renderBuildspec(PROPS)).not.toContain(HEADER_VALUE);
  });

  test.each<[string, Partial<BuildspecProps>, RegExp]>([
    ['a smoke test URL that is no http(s) URL', { smokeTest: { url: 'ftp://stg-api.example.com/healthcheck' } }, /smokeTest\.url: must be an http\(s\) URL/],
    ['a URL with a Terraform interpolation', { smokeTest: { url: 'https://${var.host}/healthcheck' } }, /smokeTest\.url/],
    ['a header value in place of its reference', { smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom: 'hunter2' } } }, /smokeTest\.header\.valueFrom: must be a Secrets Manager secret ARN or an SSM parameter/],
    ['a header name with a space', { smokeTest: { url: URL, header: { name: 'X Key', valueFrom: HEADER_SECRET } } }, /smokeTest\.header\.name/],
    ['a skip reason of two lines', { smokeTest: { skip: 'a\nb' } }, /smokeTest\.skip: must be a single line/],
  ])('refuses %s', (_, change, message) => {
    // WHEN / THEN
    expect(() => buildspecObject({ ...PROPS, ...change })).toThrow(message);
  });

  test('the refusal of a header value never prints it', () => {
    // WHEN
    let message = '';
    try {
      buildspecObject({ ...PROPS, smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom: 'hunter2' } } });
    } catch (error) {
      message = (error as Error).message;
    }
    // THEN
    expect(message).toContain('valueFrom');
    expect(message).not.toContain('hunter2');
  });
});

describe('the deploy check, run by bash against stub aws and curl', () => {
  test('success: the revision before, the tag’s image before, push, deploy, one look at COMPLETED, then the smoke test with the header', async () => {
    // WHEN the rollout has COMPLETED at the first look and the health check answers 200
    const build = await run(PROPS);
    // THEN
    expect(build.phases).toEqual([
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 0 },
    ]);
    expect(steps(build)).toEqual([...BEFORE_PUSH, ...ROLLOUT_LOOK, 'curl']);
    const [previous, images, , , update, waitLook, smoke] = deployCalls(build);
    expect(previous.argv).toEqual(['aws', 'ecs', 'describe-services', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--services', 'stg-server', '--query', 'services[0].taskDefinition', '--output', 'text']);
    expect(images.argv).toEqual([
      'aws', 'ecr', 'describe-images', '--region', 'ap-northeast-1', '--registry-id', '123456789012', '--repository-name', 'stg-server', '--image-ids', 'imageTag=stg', '--query', 'imageDetails[0].imageDigest', '--output', 'text',
    ]);
    expect(value(update, '--task-definition')).toBe('stg-server');
    expect(update.argv).toContain('--force-new-deployment');
    expect(value(waitLook, '--services')).toBe('stg-server');
    expect(smoke.argv).toEqual([
      'curl', '--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code}', '--max-time', String(SMOKE_MAX_TIME_SECONDS), '--header', expect.stringMatching(/^@/), URL,
      `<header>X-Staging-Key: ${HEADER_VALUE}`,
    ]);
    expect(build.stdout).toContain('deploy: stg-server:8: rollout COMPLETED, 1 of 1 running, after 0 s');
    expect(build.stdout).toContain(`deploy: smoke test: ${URL} answered 200 (try 1 of ${SMOKE_ATTEMPTS})`);
    expect(build.stderr).toBe('');
  });

  test('the header’s value reaches curl only through a file: on no command line, in no log line', async () => {
    // WHEN
    const build = await run(PROPS);
    // THEN the value is only what the stub read from the --header @file
    const argvs = build.calls.flatMap((call) => call.argv.filter((arg) => !arg.startsWith('<header>')));
    expect(argvs.join(' ')).not.toContain(HEADER_VALUE);
    expect(build.stdout + build.stderr).not.toContain(HEADER_VALUE);
    expect(named(build, 'curl', '--silent')[0].argv.at(-1)).toBe(`<header>X-Staging-Key: ${HEADER_VALUE}`);
  });

  test('a header whose value is an SSM parameter: CodeBuild resolves env.parameter-store, and curl sends it the same way', async () => {
    // GIVEN the rule's value in a parameter, which the stand-in resolves as CodeBuild would
    const props = { ...PROPS, smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom: '/stg/access-key' } } };
    // WHEN
    const build = await codebuild.runBuild(renderBuildspec(props), { stubDir: stubs.dir, secrets: { '/stg/access-key': 'from-the-parameter' } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(named(build, 'curl', '--silent')[0].argv.at(-1)).toBe('<header>X-Staging-Key: from-the-parameter');
    expect(renderBuildspec(props)).not.toContain('from-the-parameter');
  });

  test('a header the rule wants whose value resolved empty: the build fails before curl, saying which', async () => {
    // GIVEN the secret resolves to an empty string
    const build = await codebuild.runBuild(renderBuildspec(PROPS), { stubDir: stubs.dir, secrets: { [HEADER_SECRET]: '' } });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(lastLine(build.stderr)).toBe('deploy failed: the listener rule wants the header X-Staging-Key, but its value (STG_ACCESS_HEADER_VALUE) is empty');
    expect(named(build, 'curl', '--silent')).toEqual([]);
  });

  test('without a header condition on the rule, curl sends none', async () => {
    // WHEN the rule is public
    const build = await run(PUBLIC);
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    const [smoke] = named(build, 'curl', '--silent');
    expect(smoke.argv).toEqual(['curl', '--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code}', '--max-time', String(SMOKE_MAX_TIME_SECONDS), URL]);
  });

  test('a rollout in progress is looked at every 10 s until it COMPLETED', async () => {
    // GIVEN two looks in progress (the old deployment draining), then COMPLETED
    const progress = look({ rollout: 'IN_PROGRESS', deployments: 2, running: 1, desired: 2 });
    const build = await run(PROPS, { STUB_LOOKS: looks(progress, progress, look({ desired: 2 })) });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).toEqual([...BEFORE_PUSH, ...ROLLOUT_LOOK, `sleep ${POLL_SECONDS}`, ...ROLLOUT_LOOK, `sleep ${POLL_SECONDS}`, ...ROLLOUT_LOOK, 'curl']);
    expect(build.stdout).toContain('deploy:   0 s: IN_PROGRESS, 1 of 2 running, 1 older deployment(s) draining');
    expect(build.stdout).toContain('deploy: stg-server:8: rollout COMPLETED, 2 of 2 running, after 20 s');
  });

  test('the circuit breaker rolled it back (the PRIMARY deployment runs the old revision): the build fails with one line, no smoke test', async () => {
    // GIVEN in progress, then the breaker's rollback deployment on :7 is PRIMARY
    const build = await run(PROPS, {
      STUB_LOOKS: looks(look({ rollout: 'IN_PROGRESS', deployments: 2, running: 0 }), look({ id: OTHER_DEPLOYMENT, definition: PREVIOUS, rollout: 'IN_PROGRESS', deployments: 2, reason: ROLLED_BACK })),
    });
    // THEN
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(build.stderr.trimEnd().split('\n')).toEqual([
      `deploy failed: the PRIMARY deployment is now ${OTHER_DEPLOYMENT} on stg-server:7, not this deploy's stg-server:8 (${DEPLOYMENT}): the circuit breaker rolled it back, or another deploy replaced it (${ROLLED_BACK})`,
    ]);
    expect(steps(build)).toEqual([...BEFORE_PUSH, ...ROLLOUT_LOOK, `sleep ${POLL_SECONDS}`, ...ROLLOUT_LOOK]);
  });

  test('turned back to the same revision (the tag is mutable): a PRIMARY deployment other than this deploy’s fails it too', async () => {
    // GIVEN the service ran :8 before, and the breaker's rollback deployment is on :8 as well
    const build = await run(PROPS, { STUB_PREVIOUS: NEW, STUB_LOOKS: look({ id: OTHER_DEPLOYMENT, definition: NEW, rollout: 'IN_PROGRESS', deployments: 2, reason: ROLLED_BACK }) });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(lastLine(build.stderr)).toMatch(/^deploy failed: the PRIMARY deployment is now ecs-svc\/1111111111111111111 on stg-server:8, not this deploy's stg-server:8 \(ecs-svc\/8888888888888888888\): the circuit breaker rolled it back/);
    expect(named(build, 'curl', '--silent')).toEqual([]);
  });

  test('rolloutState FAILED: the build fails with one line naming the reason', async () => {
    // GIVEN this deploy's deployment, FAILED
    const build = await run(PROPS, { STUB_LOOKS: look({ rollout: 'FAILED', deployments: 2, running: 0, reason: 'ECS deployment circuit breaker: tasks failed to start.' }) });
    // THEN
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(build.stderr.trimEnd().split('\n')).toEqual(['deploy failed: the rollout to stg-server:8 FAILED: ECS deployment circuit breaker: tasks failed to start. (0 of 1 running)']);
    expect(named(build, 'curl', '--silent')).toEqual([]);
    expect(named(build, 'aws', 'update-service')).toHaveLength(1);
  });

  test('a rollout that outlives waitTimeoutSeconds fails the build after that bound, with one line; nothing is rolled back', async () => {
    // GIVEN a 60 s bound and a rollout that stays in progress
    const build = await run({ ...PROPS, waitTimeoutSeconds: 60 }, { STUB_LOOKS: look({ rollout: 'IN_PROGRESS', deployments: 2, running: 0 }) });
    // THEN looks at 0, 10, … 60 s, then the timeout
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(build.stderr.trimEnd().split('\n')).toEqual([
      'deploy failed: the rollout to stg-server:8 did not complete within 60 s (pipeline.waitTimeoutSeconds); last seen: IN_PROGRESS, 0 of 1 running, 1 older deployment(s) draining; ECS goes on trying',
    ]);
    expect(named(build, 'aws', 'describe-services')).toHaveLength(1 + 7);
    expect(named(build, 'sleep', String(POLL_SECONDS))).toHaveLength(6);
    expect(build.calls.filter((call) => call.argv[0] === 'sleep').map((call) => call.argv[1])).toEqual(Array(6).fill(String(POLL_SECONDS)));
    expect(named(build, 'aws', 'update-service')).toHaveLength(1);
    expect(named(build, 'curl', '--silent')).toEqual([]);
  });

  test('a smoke test that never answers 2xx: the tag back on the previous image, the previous revision deployed and waited for, then the build fails with one line', async () => {
    // GIVEN the rollout completes, the health check answers 503 every time, and the rollback completes
    const build = await run(PROPS, { STUB_CURL: '503', STUB_LOOKS: looks(look(), look({ id: ROLLBACK_DEPLOYMENT, definition: PREVIOUS })) });
    // THEN
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(steps(build)).toEqual([
      ...BEFORE_PUSH, ...ROLLOUT_LOOK, ...TRIES(SMOKE_ATTEMPTS),
      'aws ecr batch-get-image', 'aws ecr batch-get-image', 'aws ecr put-image', 'aws ecs update-service', ...ROLLOUT_LOOK,
    ]);
    const [, rollback] = named(build, 'aws', 'update-service');
    expect(rollback.argv).toEqual([
      'aws', 'ecs', 'update-service', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--service', 'stg-server', '--task-definition', PREVIOUS,
      '--force-new-deployment', '--query', 'service.deployments[?status==`PRIMARY`] | [0].id', '--output', 'text',
    ]);
    const [put] = named(build, 'aws', 'put-image');
    expect(put.argv).toEqual([
      'aws', 'ecr', 'put-image', '--region', 'ap-northeast-1', '--registry-id', '123456789012', '--repository-name', 'stg-server',
      '--image-tag', 'stg', '--image-manifest', MANIFEST, '--image-manifest-media-type', MEDIA_TYPE,
    ]);
    expect(named(build, 'aws', 'batch-get-image').map((call) => value(call, '--image-ids'))).toEqual([`imageDigest=${PREVIOUS_DIGEST}`, `imageDigest=${PREVIOUS_DIGEST}`]);
    expect(build.stderr.trimEnd().split('\n')).toEqual([`deploy failed: the smoke test of ${URL} answered 503 after ${SMOKE_ATTEMPTS} tries; rolled back to stg-server:7`]);
    expect(build.stdout).toContain('deploy: rolling back: stg-server to stg-server:7, the revision that ran before this deploy');
  });

  test('a smoke test that answers 2xx after a retry passes, nothing rolled back', async () => {
    // GIVEN no answer in time, then a 502, then 200
    const build = await run(PROPS, { STUB_CURL: '000 502 200' });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(steps(build)).toEqual([...BEFORE_PUSH, ...ROLLOUT_LOOK, ...TRIES(3)]);
    expect(build.stdout).toContain(`deploy: smoke test: ${URL} did not answer (curl: (28) Connection timed out after 10001 milliseconds) (try 1 of ${SMOKE_ATTEMPTS})`);
    expect(build.stdout).toContain(`deploy: smoke test: ${URL} answered 502 (try 2 of ${SMOKE_ATTEMPTS})`);
    expect(build.stdout).toContain(`deploy: smoke test: ${URL} answered 200 (try 3 of ${SMOKE_ATTEMPTS})`);
    expect(named(build, 'aws', 'update-service')).toHaveLength(1);
  });

  test('a first build (no image under the tag yet) that fails its smoke test rolls back the revision only', async () => {
    // GIVEN describe-images finds no "stg" image before the push
    const build = await run(PROPS, { STUB_IMAGE_DIGEST: 'missing', STUB_CURL: '500', STUB_LOOKS: looks(look(), look({ id: ROLLBACK_DEPLOYMENT, definition: PREVIOUS })) });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(build.stdout).toContain('deploy: stg names None before this build');
    expect(named(build, 'aws', 'put-image')).toEqual([]);
    expect(named(build, 'aws', 'update-service').map((call) => value(call, '--task-definition'))).toEqual(['stg-server', PREVIOUS]);
    expect(lastLine(build.stderr)).toBe(`deploy failed: the smoke test of ${URL} answered 500 after ${SMOKE_ATTEMPTS} tries; rolled back to stg-server:7`);
  });

  test('the tag already on the previous image (ImageAlreadyExistsException) is no reason to stop the rollback', async () => {
    // WHEN
    const build = await run(PROPS, { STUB_PUT_IMAGE_ERROR: 'ImageAlreadyExistsException', STUB_CURL: '500', STUB_LOOKS: looks(look(), look({ id: ROLLBACK_DEPLOYMENT, definition: PREVIOUS })) });
    // THEN
    expect(named(build, 'aws', 'update-service')).toHaveLength(2);
    expect(lastLine(build.stderr)).toMatch(/; rolled back to stg-server:7$/);
  });

  test('a tag that cannot be put back stops the rollback before the service is touched', async () => {
    // WHEN
    const build = await run(PROPS, { STUB_PUT_IMAGE_ERROR: 'AccessDeniedException', STUB_CURL: '500' });
    // THEN
    expect(named(build, 'aws', 'update-service')).toHaveLength(1);
    expect(lastLine(build.stderr)).toBe(
      `deploy failed: the smoke test of ${URL} answered 500 after ${SMOKE_ATTEMPTS} tries; the rollback to stg-server:7 stopped: could not put stg back on it: An error occurred (AccessDeniedException) when calling the PutImage operation: as the test asked`,
    );
  });

  test('a rollback that does not complete says so, and fails the build', async () => {
    // GIVEN the rollback's own rollout FAILED
    const build = await run(PROPS, { STUB_CURL: '503', STUB_LOOKS: looks(look(), look({ id: ROLLBACK_DEPLOYMENT, definition: PREVIOUS, rollout: 'FAILED', deployments: 2, running: 0, reason: 'tasks failed to start' })) });
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(build.stderr.trimEnd().split('\n')).toEqual([
      `deploy failed: the smoke test of ${URL} answered 503 after ${SMOKE_ATTEMPTS} tries; the rollback to stg-server:7 did not complete: the rollout to stg-server:7 FAILED: tasks failed to start (0 of 1 running)`,
    ]);
  });

  test('nothing ran before this deploy: no rollback, and the build fails saying so', async () => {
    // GIVEN describe-services knew no revision before the deploy
    const build = await run(PROPS, { STUB_PREVIOUS: 'None', STUB_CURL: '404' });
    // THEN
    expect(named(build, 'aws', 'update-service')).toHaveLength(1);
    expect(named(build, 'aws', 'put-image')).toEqual([]);
    expect(lastLine(build.stderr)).toBe(`deploy failed: the smoke test of ${URL} answered 404 after ${SMOKE_ATTEMPTS} tries; no revision ran before this deploy, so there is nothing to roll back to`);
  });

  test('a smoke test the rule does not let a build pass is skipped with a warning line; the wait still ran', async () => {
    // GIVEN the reason synth gave (an allowlist)
    const skip = 'smoke test skipped: listenerRule.access.sourceIps admits only its CIDRs';
    const build = await run({ ...PROPS, smokeTest: { skip } });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.stdout).toContain(`deploy: warning: ${skip}\n`);
    expect(steps(build)).toEqual([...BEFORE_PUSH, ...ROLLOUT_LOOK]);
  });

  test('a service at 0 tasks (asleep) has nothing to answer: a warning, no smoke test', async () => {
    // GIVEN the rollout completes with 0 desired
    const build = await run(PROPS, { STUB_LOOKS: look({ desired: 0, running: 0 }) });
    // THEN
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.stdout).toContain('deploy: warning: smoke test skipped: the service runs 0 tasks');
    expect(named(build, 'curl', '--silent')).toEqual([]);
  });

  test('describe-images failing for another reason than a missing image stops the build before the push', async () => {
    // WHEN
    const build = await run(PROPS, {}, 'aws ecr describe-images');
    // THEN
    expect(build.phases.at(-1)?.status).toBe(1);
    expect(steps(build)).toEqual(['aws ecs describe-services', 'aws ecr describe-images']);
    expect(build.stderr).toContain('aws: failing as the test asked');
  });
});
