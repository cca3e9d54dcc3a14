import * as yaml from 'js-yaml';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildspecPropsFor as buildspecPropsFromEnvironment, smokeTestFor } from '../../src/stack/buildspec-props';
import { environmentSchema } from '../../src/environment/schema';
import { BuildspecProps, buildspecObject, renderBuildspec } from '../../src/pipeline/buildspec';
import { fixtureJson, setPath } from '../support/environments';
import { FIXTURE_ENVIRONMENTS_DIR, PROJECT_ROOT } from '../support/paths';
import { Build, CodeBuildStandIn, exec, Exit, programs, RunOptions } from '../support/codebuild';
import { DEPLOYMENT, deployCheckStubs, look, NEW, PREVIOUS } from '../support/deploy-check-stubs';

const REGISTRY = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
const REPO = `${REGISTRY}/stg-server`;
const EPOCH = '1700000000';
const HUB_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-AbCdEf';
/** The values of environments/stg.json. */
const PROPS: BuildspecProps = {
  repositoryUrl: REPO,
  tagPrefix: 'stg',
  region: 'ap-northeast-1',
  cluster: 'stg_ecs_cluster',
  service: 'stg-server',
  family: 'stg-server',
};
/** What environments/stg.json's listener rule makes of the smoke test: a skip (its source-IP allowlist). */
const STG_SMOKE_TEST = smokeTestFor(environmentSchema.parse(fixtureJson('stg')));
const HEADER = /^# Generated from environments\/stg\.json by the staging project\. Do not edit by hand: change the environment file,\n# then `npm run synth` \(the CodeBuild project\) or `npm run buildspec` \(this file\)\.\n/;


// --- Tests -------------------------------------------------------------------------------------

describe('buildspecObject / renderBuildspec', () => {
  test('version 0.2, bash for pipefail, and every phase aborts the build on failure', () => {
    // GIVEN the stg values
    // WHEN
    const spec = buildspecObject(PROPS);
    // THEN
    expect(spec.version).toBe(0.2);
    expect(spec.env.shell).toBe('bash');
    expect(Object.keys(spec.phases)).toEqual(['pre_build', 'build']);
    for (const phase of Object.values(spec.phases)) expect(phase['on-failure']).toBe('ABORT');
  });

  test.each([
    ['the defaults', PROPS],
    ['Docker Hub and a shorter wait', { ...PROPS, dockerHubSecretArn: HUB_SECRET, waitTimeoutSeconds: 300 }],
  ])('the YAML text is a generated-file header, then the object (%s)', (_name, props) => {
    // GIVEN
    const withSource = { ...props, sourceEnvironmentFile: 'environments/stg.json' };
    // WHEN
    const text = renderBuildspec(withSource);
    // THEN
    expect(text).toMatch(HEADER);
    expect(yaml.safeLoad(text)).toEqual(buildspecObject(withSource));
  });

  test('downloads nothing and uses no third-party deploy script: curl only GETs the smoke test URL', () => {
    // GIVEN the largest buildspec, with the Docker Hub login and a smoke test
    // WHEN
    const text = renderBuildspec({ ...PROPS, dockerHubSecretArn: HUB_SECRET, smokeTest: { url: 'https://stg-api.example.com/healthcheck' } });
    // THEN
    expect(text).not.toMatch(/wget|git clone|ecs-deploy/);
    const curls = text.split('\n').filter((line) => /\bcurl --/.test(line));
    expect(curls).toHaveLength(2);
    for (const line of curls) expect(line).toMatch(/ "\$DEPLOY_SMOKE_URL" /);
    expect(text).toContain('aws ecs update-service');
  });

  test('the wait is the deploy check’s own bounded poll, not the AWS CLI waiter: 600 s by default, else waitTimeoutSeconds', () => {
    // GIVEN the default wait, 600 s written out, and 300 s
    // WHEN
    const check = (props: BuildspecProps) => buildspecObject(props).phases.build.commands.at(-1)!;
    // THEN
    expect(check(PROPS)).toContain("\nDEPLOY_TIMEOUT='600'\n");
    expect(check({ ...PROPS, waitTimeoutSeconds: 600 })).toContain("\nDEPLOY_TIMEOUT='600'\n");
    expect(check({ ...PROPS, waitTimeoutSeconds: 300 })).toContain("\nDEPLOY_TIMEOUT='300'\n");
    expect(check(PROPS)).toContain('sleep 10\n');
    expect(renderBuildspec(PROPS)).not.toMatch(/ecs wait|timeout \d/);
  });

  test('the cache is the write-up’s Go module cache by default, the given paths otherwise, and none for []', () => {
    // GIVEN no cachePaths, two paths, and none
    // WHEN
    const cache = (props: BuildspecProps) => buildspecObject(props).cache;
    // THEN
    expect(cache(PROPS)).toEqual({ paths: ['/go/pkg/**/*'] });
    expect(cache({ ...PROPS, cachePaths: ['/root/.npm/**/*', 'node_modules/**/*'] })).toEqual({ paths: ['/root/.npm/**/*', 'node_modules/**/*'] });
    expect(cache({ ...PROPS, cachePaths: [] })).toBeUndefined();
    expect(renderBuildspec({ ...PROPS, cachePaths: [] })).not.toContain('cache');
  });

  test('no command holds "${": the CodeBuild project carries the buildspec as a Terraform string, which would evaluate it', () => {
    // GIVEN the largest buildspec: Docker Hub, a shorter wait and build args
    // WHEN
    const text = renderBuildspec({ ...PROPS, dockerHubSecretArn: HUB_SECRET, waitTimeoutSeconds: 300, buildArgs: { APP_ENV: 'staging' } });
    // THEN
    expect(text).not.toMatch(/[$%]\{/);
  });

  test.each<[string, Partial<BuildspecProps>, RegExp]>([
    ['a wait past the waiter limit', { waitTimeoutSeconds: 601 }, /waitTimeoutSeconds: must be an integer from 1 to 600/],
    ['a zero wait', { waitTimeoutSeconds: 0 }, /waitTimeoutSeconds/],
    ['a fractional wait', { waitTimeoutSeconds: 1.5 }, /waitTimeoutSeconds/],
    ['a repository URL with a tag', { repositoryUrl: `${REPO}:stg` }, /repositoryUrl: must be an ECR repository URL/],
    ['a Docker Hub repository', { repositoryUrl: 'library/golang' }, /repositoryUrl/],
    ['a tag prefix starting with "-"', { tagPrefix: '-stg' }, /tagPrefix/],
    ['a cluster name with a line break', { cluster: 'stg\necho hi' }, /cluster: must be a non-empty single line/],
    ['an empty family', { family: '' }, /family/],
    ['a Docker Hub secret that is no ARN', { dockerHubSecretArn: 'dockerhub' }, /dockerHubSecretArn/],
    ['a build arg name that is no variable name', { buildArgs: { 'APP-ENV': 'x' } }, /buildArgs: "APP-ENV": a build arg name must be a variable name/],
    ['GO_VERSION as a build arg, the Go build’s own', { buildArgs: { GO_VERSION: '1.22' } }, /buildArgs: GO_VERSION is the Go build's own/],
    ['a build arg value with a line break', { buildArgs: { APP_ENV: 'a\nb' } }, /buildArgs: APP_ENV: the value must be a single line/],
    ['an empty cache path', { cachePaths: [''] }, /cachePaths: each must be a non-empty single line/],
  ])('refuses %s', (_name, change, error) => {
    // GIVEN the stg values with that change
    // WHEN / THEN
    expect(() => buildspecObject({ ...PROPS, ...change })).toThrow(error);
  });
});

// Every bash build and every `npm run buildspec` of this file, started together once.
const HOSTILE = "stg cluster $(touch pwned) 'quoted'";
/** Build args whose values a shell would otherwise run or split. */
const BUILD_ARGS = { APP_ENV: 'staging', GREETING: "it's $(touch pwned) `touch pwned2` \"q\" ${HOME} a  b" };
const SCRIPT = ['-r', path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'), path.join(PROJECT_ROOT, 'scripts', 'buildspec.ts')];
const OUT = path.join(os.tmpdir(), `stg-buildspec-${process.pid}-out.yml`);
let builds: Record<
  'clean' | 'pushFails' | 'loginFails' | 'dockerHub' | 'slowRollout' | 'hostile' | 'noGoVersion' | 'emptyGoVersion' | 'goVersionDir' | 'buildArgs' | 'buildArgsNoGo' | 'noGoPushFails',
  Build
>;
let scripts: Record<'stg' | 'defaults' | 'unknownStack' | 'noStack' | 'noPipeline', Exit>;
let defaultsCwd: string;

let codebuild: CodeBuildStandIn;
let stubs: ReturnType<typeof deployCheckStubs>;

beforeAll(async () => {
  codebuild = CodeBuildStandIn.create({ epoch: EPOCH });
  stubs = deployCheckStubs();
  // the deploy check's aws, curl, date and sleep: a rollout COMPLETED at its first look, a clock only sleep moves
  const runBuild = (text: string, options: RunOptions = {}) => codebuild.runBuild(text, { stubDir: stubs.dir, ...options });
  defaultsCwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-buildspec-cwd-'));
  fs.mkdirSync(path.join(defaultsCwd, 'environments'));
  fs.copyFileSync(path.join(FIXTURE_ENVIRONMENTS_DIR, 'stg.json'), path.join(defaultsCwd, 'environments', 'stg.json'));
  fs.copyFileSync(path.join(FIXTURE_ENVIRONMENTS_DIR, 'preview.json'), path.join(defaultsCwd, 'environments', 'preview.json'));
  const script = (args: string[], cwd = defaultsCwd) => exec(process.execPath, [...SCRIPT, ...args], { cwd });
  const text = renderBuildspec(PROPS);
  const hub = { [`${HUB_SECRET}:username`]: 'hub-user', [`${HUB_SECRET}:password`]: 'hub-password' };
  const withArgs = renderBuildspec({ ...PROPS, goVersionFile: 'build/go.version', buildArgs: BUILD_ARGS });
  const [
    clean, pushFails, loginFails, dockerHub, slowRollout, hostile, noGoVersion, emptyGoVersion, goVersionDir, buildArgs, buildArgsNoGo, noGoPushFails,
    stg, defaults, unknownStack, noStack, noPipeline,
  ] = await Promise.all([
    runBuild(text),
    runBuild(text, { fail: 'docker push' }),
    runBuild(text, { fail: 'aws ecr get-login-password' }),
    runBuild(renderBuildspec({ ...PROPS, dockerHubSecretArn: HUB_SECRET }), { secrets: hub }),
    runBuild(renderBuildspec({ ...PROPS, waitTimeoutSeconds: 20 }), { env: { STUB_LOOKS: look({ rollout: 'IN_PROGRESS', deployments: 2, running: 0 }) } }),
    runBuild(renderBuildspec({ ...PROPS, cluster: HOSTILE, service: HOSTILE })),
    runBuild(text, { goVersion: null }),
    runBuild(text, { goVersion: '\n' }),
    runBuild(text, { goVersion: null, files: { '.go-version/README': 'a directory, not the file' } }),
    runBuild(withArgs, { goVersion: null, files: { 'build/go.version': ' 1.23.1\n' } }),
    runBuild(withArgs, { goVersion: null }),
    runBuild(text, { goVersion: null, fail: 'docker push' }),
    script(['stg', '--out', OUT]),
    script(['stg']),
    script(['nope']),
    script([]),
    script(['preview']),
  ]);
  builds = { clean, pushFails, loginFails, dockerHub, slowRollout, hostile, noGoVersion, emptyGoVersion, goVersionDir, buildArgs, buildArgsNoGo, noGoPushFails };
  scripts = { stg, defaults, unknownStack, noStack, noPipeline };
});

afterAll(() => {
  codebuild.dispose();
  stubs.dispose();
  for (const leftover of [OUT, defaultsCwd]) fs.rmSync(leftover, { recursive: true, force: true });
});

describe('the buildspec, executed by bash against stub docker, aws, curl, date and sleep', () => {
  test('a clean build: ECR login, build with the fixture Go version and both tags, what runs now, push both, then deploy and wait', () => {
    // GIVEN .go-version "1.22.5" and an epoch of 1700000000
    // WHEN built (beforeAll)
    const { clean } = builds;
    // THEN every phase succeeds, and the calls come in exactly this order
    expect(clean.phases).toEqual([
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 0 },
    ]);
    expect(clean.calls).toEqual([
      { argv: ['aws', 'ecr', 'get-login-password', '--region', 'ap-northeast-1'] },
      { argv: ['docker', 'login', '--username', 'AWS', '--password-stdin', REGISTRY], stdin: 'fake-ecr-password' },
      { argv: ['date', '+%s'] },
      {
        argv: ['docker', 'build', '-f', './Dockerfile', '--build-arg', 'GO_VERSION=1.22.5', '-t', `${REPO}:stg`, '-t', `${REPO}:stg.${EPOCH}`, '.'],
      },
      { argv: ['aws', 'ecs', 'describe-services', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--services', 'stg-server', '--query', 'services[0].taskDefinition', '--output', 'text'] },
      {
        argv: [
          'aws', 'ecr', 'describe-images', '--region', 'ap-northeast-1', '--registry-id', '123456789012', '--repository-name', 'stg-server',
          '--image-ids', 'imageTag=stg', '--query', 'imageDetails[0].imageDigest', '--output', 'text',
        ],
      },
      { argv: ['docker', 'push', `${REPO}:stg`] },
      { argv: ['docker', 'push', `${REPO}:stg.${EPOCH}`] },
      {
        argv: [
          'aws', 'ecs', 'update-service', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--service', 'stg-server',
          '--task-definition', 'stg-server', '--force-new-deployment', '--query', 'service.deployments[?status==`PRIMARY`] | [0].[taskDefinition, id]', '--output', 'text',
        ],
      },
      { argv: ['date', '+%s'] },
      { argv: ['aws', 'ecs', 'describe-services', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--services', 'stg-server', '--query', expect.stringMatching(/^services\[0\]\.\[deployments\[\?status==`PRIMARY`\]/), '--output', 'text'] },
      { argv: ['date', '+%s'] },
    ]);
    expect(clean.stdout).toContain(`deploy: started ${DEPLOYMENT} on ${NEW}\n`);
    expect(clean.stdout).toContain(`deploy: before this deploy the service runs ${PREVIOUS}\n`);
    expect(clean.stdout).toContain('deploy: stg-server:8: rollout COMPLETED, 1 of 1 running, after 0 s\n');
    expect(clean.stdout).toContain('deploy: warning: no smoke test: none was configured for this buildspec\n');
  });

  test('a failing docker push stops the build there: nothing is deployed', () => {
    // GIVEN the first docker push fails
    // WHEN built (beforeAll)
    const { pushFails } = builds;
    // THEN the build phase fails, it declared on-failure ABORT, and the failed push is the last call
    expect(pushFails.phases).toEqual([
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 1 },
    ]);
    expect(buildspecObject(PROPS).phases.build['on-failure']).toBe('ABORT');
    expect(programs(pushFails).slice(-4)).toEqual(['docker build -f', 'aws ecs describe-services', 'aws ecr describe-images', `docker push ${REPO}:stg`]);
    expect(programs(pushFails)).not.toContain('aws ecs update-service');
  });

  test('a failing get-login-password fails the build, although docker login, last in the pipe, succeeds', () => {
    // GIVEN get-login-password fails, and the stub docker login accepts the empty password
    // WHEN built (beforeAll)
    const { loginFails } = builds;
    // THEN pipefail fails pre_build, and nothing is built
    expect(loginFails.phases).toEqual([{ name: 'pre_build', status: 1 }]);
    expect(loginFails.calls).toEqual([
      { argv: ['aws', 'ecr', 'get-login-password', '--region', 'ap-northeast-1'] },
      { argv: ['docker', 'login', '--username', 'AWS', '--password-stdin', REGISTRY], stdin: '' },
    ]);
  });

  test('Docker Hub: logs in before the build with the secret from env.secrets-manager, never in the text', () => {
    // GIVEN a Docker Hub secret ARN, which CodeBuild resolves to hub-user / hub-password
    const props = { ...PROPS, dockerHubSecretArn: HUB_SECRET };
    // WHEN built (beforeAll)
    const { dockerHub, clean } = builds;
    // THEN the buildspec references the secret's JSON keys, and the values come only at run time
    expect(buildspecObject(props).env['secrets-manager']).toEqual({
      DOCKERHUB_USERNAME: `${HUB_SECRET}:username`,
      DOCKERHUB_PASSWORD: `${HUB_SECRET}:password`,
    });
    expect(renderBuildspec(props)).not.toMatch(/hub-user|hub-password/);
    expect(dockerHub.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(dockerHub.calls[0]).toEqual({ argv: ['docker', 'login', '--username', 'hub-user', '--password-stdin'], stdin: 'hub-password' });
    expect(programs(dockerHub).slice(1)).toEqual(programs(clean));
  });

  test('without a Docker Hub secret there is no Docker Hub login and no secret reference', () => {
    // GIVEN no dockerHubSecretArn
    // WHEN built (beforeAll)
    const { clean } = builds;
    // THEN
    expect(buildspecObject(PROPS).env).toEqual({ shell: 'bash' });
    expect(clean.calls.filter((call) => call.argv[1] === 'login')).toHaveLength(1);
  });

  test('a rollout outliving waitTimeoutSeconds fails the build after that bound, with one line', () => {
    // GIVEN a 20 s limit and a rollout that stays in progress
    // WHEN built (beforeAll)
    const { slowRollout } = builds;
    // THEN looks at 0, 10 and 20 s, 10 s apart, then the build fails
    expect(slowRollout.phases).toEqual([
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 1 },
    ]);
    expect(programs(slowRollout).filter((call) => call.startsWith('aws ecs describe-services') || call.startsWith('sleep'))).toEqual([
      'aws ecs describe-services', 'aws ecs describe-services', 'sleep 10', 'aws ecs describe-services', 'sleep 10', 'aws ecs describe-services',
    ]);
    expect(slowRollout.stderr.trimEnd().split('\n').at(-1)).toMatch(/^deploy failed: the rollout to stg-server:8 did not complete within 20 s \(pipeline\.waitTimeoutSeconds\)/);
  });

  test('values reach the commands as single arguments, never as shell', () => {
    // GIVEN a cluster and service name holding spaces, quotes and a command substitution
    // WHEN built (beforeAll)
    const { hostile } = builds;
    // THEN each is one argument, as written, and nothing ran
    const update = hostile.calls.find((call) => call.argv[2] === 'update-service');
    expect(update?.argv.slice(5, 9)).toEqual(['--cluster', HOSTILE, '--service', HOSTILE]);
    const looks = hostile.calls.filter((call) => call.argv[2] === 'describe-services');
    expect(looks).toHaveLength(2);
    for (const call of looks) expect(call.argv.slice(5, 9)).toEqual(['--cluster', HOSTILE, '--services', HOSTILE]);
    expect(hostile.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(fs.readdirSync(hostile.dir)).not.toContain('pwned');
  });

  test('an empty .go-version fails the build before docker build', () => {
    // GIVEN a .go-version holding only a line break
    // WHEN built (beforeAll)
    const build = builds.emptyGoVersion;
    // THEN
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(build.stderr).toMatch(/\.go-version is empty/);
    expect(programs(build)).not.toContain('docker build -f');
  });

  test.each([
    ['no .go-version', 'noGoVersion'],
    ['a directory named .go-version', 'goVersionDir'],
  ] as const)('an application without a Go version file (%s): a plain docker build, then the same push, deploy and wait', (_name, run) => {
    // GIVEN a source with no .go-version file
    // WHEN built (beforeAll)
    const build = builds[run];
    // THEN the build says so, and docker build gets no GO_VERSION; every other call is the Go build's
    expect(build.phases).toEqual([
      { name: 'pre_build', status: 0 },
      { name: 'build', status: 0 },
    ]);
    expect(build.stdout).toContain('no .go-version in the source: docker build without GO_VERSION');
    expect(build.calls.find((call) => call.argv[1] === 'build')?.argv).toEqual(['docker', 'build', '-f', './Dockerfile', '-t', `${REPO}:stg`, '-t', `${REPO}:stg.${EPOCH}`, '.']);
    expect(programs(build)).toEqual(programs(builds.clean));
  });

  test('without a Go version file a failing docker push still stops the build there', () => {
    // GIVEN no .go-version, and the first docker push fails
    // WHEN built (beforeAll)
    const build = builds.noGoPushFails;
    // THEN
    expect(build.phases.at(-1)).toEqual({ name: 'build', status: 1 });
    expect(programs(build).slice(-4)).toEqual(['docker build -f', 'aws ecs describe-services', 'aws ecr describe-images', `docker push ${REPO}:stg`]);
    expect(programs(build)).not.toContain('aws ecs update-service');
  });

  test.each([
    ['with the Go version file (goVersionFile: build/go.version)', 'buildArgs', ['--build-arg', 'GO_VERSION=1.23.1']],
    ['without it', 'buildArgsNoGo', []],
  ] as const)('build args reach docker build as single arguments, never as shell, %s', (_name, run, goArgs) => {
    // GIVEN buildArgs whose value holds quotes, command substitutions, a "${…}" and two spaces
    // WHEN built (beforeAll)
    const build = builds[run];
    // THEN GO_VERSION (if any) comes first, then each NAME=value as written; nothing ran
    expect(build.phases.map((phase) => phase.status)).toEqual([0, 0]);
    expect(build.calls.find((call) => call.argv[1] === 'build')?.argv).toEqual([
      'docker', 'build', '-f', './Dockerfile', ...goArgs,
      '--build-arg', 'APP_ENV=staging', '--build-arg', `GREETING=${BUILD_ARGS.GREETING}`,
      '-t', `${REPO}:stg`, '-t', `${REPO}:stg.${EPOCH}`, '.',
    ]);
    expect(fs.readdirSync(build.dir).filter((name) => name.startsWith('pwned'))).toEqual([]);
  });
});

describe('npm run buildspec', () => {
  test('writes the buildspec of environments/stg.json, headed as generated', () => {
    // GIVEN a project holding environments/stg.json (the fixture)
    // WHEN `npm run buildspec -- stg --out <tmp>` (beforeAll)
    const { stg } = scripts;
    // THEN
    expect(stg.stderr).toBe('');
    expect(stg.status).toBe(0);
    expect(stg.stdout).toBe(`wrote ${OUT} from environments/stg.json\n`);
    const text = fs.readFileSync(OUT, 'utf8');
    expect(text).toMatch(HEADER);
    expect(yaml.safeLoad(text)).toEqual(buildspecObject({ ...PROPS, smokeTest: STG_SMOKE_TEST }));
  });

  test('by default it is written under cdktf.out/, which git ignores, never into the working tree', () => {
    // GIVEN a project holding environments/stg.json
    // WHEN `npm run buildspec -- stg` there, without --out (beforeAll)
    const { defaults } = scripts;
    // THEN
    expect(defaults.status).toBe(0);
    expect(defaults.stdout).toBe('wrote cdktf.out/buildspec/stg.yml from environments/stg.json\n');
    expect(yaml.safeLoad(fs.readFileSync(path.join(defaultsCwd, 'cdktf.out', 'buildspec', 'stg.yml'), 'utf8'))).toEqual(buildspecObject({ ...PROPS, smokeTest: STG_SMOKE_TEST }));
    expect(fs.existsSync(path.join(defaultsCwd, 'buildspec.yml'))).toBe(false);
  });

  test('the stack is required: without one, the usage and the known stacks, exit 1', () => {
    // WHEN `npm run buildspec` without arguments (beforeAll)
    const { noStack } = scripts;
    // THEN
    expect(noStack.status).toBe(1);
    expect(noStack.stderr).toBe('error: usage: npm run buildspec -- <stack> [--out <file>]; the stacks of environments/ are: preview, stg\n');
  });

  test('an environment without a pipeline has no buildspec: an error, and nothing written', () => {
    // WHEN `npm run buildspec -- preview`, whose file has no pipeline section (beforeAll)
    const { noPipeline } = scripts;
    // THEN
    expect(noPipeline.status).toBe(1);
    expect(noPipeline.stderr).toBe('error: environments/preview.json: pipeline: the environment has no pipeline section, so it has no buildspec; nothing was written\n');
    expect(fs.existsSync(path.join(defaultsCwd, 'cdktf.out', 'buildspec', 'preview.yml'))).toBe(false);
  });

  test('an unknown stack is a one-line error naming the known ones, exit 1, no stack trace', () => {
    // GIVEN no environments/nope.json
    // WHEN `npm run buildspec -- nope` (beforeAll)
    const { unknownStack } = scripts;
    // THEN
    expect(unknownStack.status).toBe(1);
    expect(unknownStack.stderr).toBe('error: no stack "nope"; the stacks of environments/ are: preview, stg\n');
  });

  test('the repository URL is the image without its tag or digest', () => {
    // GIVEN
    const config = (image: string | undefined) => environmentSchema.parse(setPath(fixtureJson('stg'), 'taskDefinition.container.image', image));
    const digest = `@sha256:${'a'.repeat(64)}`;
    // WHEN
    const url = (image: string) => buildspecPropsFromEnvironment(config(image), 'environments/stg.json').repositoryUrl;
    // THEN
    expect(url(`${REPO}:stg`)).toBe(REPO);
    expect(url(`${REPO}:stg${digest}`)).toBe(REPO);
    expect(url(`${REPO}${digest}`)).toBe(REPO);
    expect(url(REPO)).toBe(REPO);
  });

  test('an environment without a written-out image is an error naming the field', () => {
    // GIVEN the image left to a lookup, or a Terraform reference
    const config = (image: string | undefined) => environmentSchema.parse(setPath(fixtureJson('stg'), 'taskDefinition.container.image', image));
    // WHEN / THEN
    for (const image of [undefined, '${var.staging_image}']) {
      expect(() => buildspecPropsFromEnvironment(config(image), 'environments/stg.json')).toThrow(
        /^environments\/stg\.json: taskDefinition\.container\.image: the buildspec needs the image URL written out/,
      );
    }
  });

  test('the other props come from the environment file, else the article defaults', () => {
    // GIVEN stg.json with other names, and stg.json without them
    const fields = ['cluster.name', 'service.name', 'taskDefinition.family', 'ecrLifecycle.tagPrefix', 'region'];
    const renamed = fixtureJson('stg');
    for (const field of fields) setPath(renamed, field, field === 'region' ? 'eu-west-1' : 'other');
    const bare = fixtureJson('stg');
    for (const field of fields.slice(0, -1)) setPath(bare, field, undefined);
    // WHEN each is resolved as synth resolves it (the schema fills the defaults)
    const props = (config: Record<string, any>) => buildspecPropsFromEnvironment(environmentSchema.parse(config), 'environments/x.json');
    // THEN
    expect(props(renamed)).toMatchObject({
      repositoryUrl: REPO, tagPrefix: 'other', region: 'eu-west-1', cluster: 'other', service: 'other', family: 'other', sourceEnvironmentFile: 'environments/x.json',
    });
    expect(props(bare)).toMatchObject({ ...PROPS, sourceEnvironmentFile: 'environments/x.json' });
  });

  test('the pipeline section sets the build details, and the schema’s defaults fill the rest (the wait: 600 s)', () => {
    // GIVEN a pipeline with every build detail, and one with none
    const connectionArn = 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';
    const config = fixtureJson('stg');
    setPath(config, 'pipeline', {
      repository: 'https://github.com/example/api.git', connectionArn, goVersionFile: 'go.version', dockerfile: './build/Dockerfile', waitTimeoutSeconds: 300,
      buildArgs: { NODE_VERSION: '20' }, cachePaths: ['/root/.npm/**/*'],
    });
    const bare = fixtureJson('stg');
    setPath(bare, 'pipeline', { repository: 'https://github.com/example/api.git', connectionArn });
    // WHEN
    const props = (c: Record<string, any>) => buildspecPropsFromEnvironment(environmentSchema.parse(c), 'environments/x.json');
    // THEN
    expect(props(config)).toMatchObject({ goVersionFile: 'go.version', dockerfile: './build/Dockerfile', waitTimeoutSeconds: 300, buildArgs: { NODE_VERSION: '20' }, cachePaths: ['/root/.npm/**/*'] });
    expect(props(bare)).toMatchObject({ goVersionFile: '.go-version', dockerfile: './Dockerfile', waitTimeoutSeconds: 600, buildArgs: undefined, cachePaths: ['/go/pkg/**/*'] });
  });
});
