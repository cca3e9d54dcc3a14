import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES_DIR, environmentFileNames } from '../../src/environment/sources';
import { CodeBuildStandIn, programs } from '../support/codebuild';
import { deployCheckStubs } from '../support/deploy-check-stubs';
import { ECR_REPOSITORY_URL } from '../../src/aws/ecr';
import { environmentSchema } from '../../src/environment/schema';
import { renderBuildspec } from '../../src/pipeline/buildspec';
import { buildspecPropsFor } from '../../src/stack/buildspec-props';
import { AccountDump, awsCli, describeWithEmulator, Emulator, EMULATOR_CREDENTIALS, ProductionAccount, withPythonScripts } from '../support/emulator';
import { forProductionAccount } from '../support/emulator/environments';
import { CAPACITY_GAPS, DEPLOY_GAPS, UNSUPPORTED_RESOURCES } from '../support/emulator/gaps';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack, ResourceDiff } from '../support/emulator/stack';
import { tempProject } from '../support/environments';
import { synthesize } from '../../src/synth/synth';
import { ADDRESS } from '../../src/kit/defaults';
import { synthesizeFixtures } from '../support/stacks';
import { ARTICLE_ADDRESSES, PROJECT_ROOT } from '../support/synth';

/**
 * Every example, and the lookup fixture, applied to the AWS emulator's production account, read back
 * through the AWS API, planned again, and destroyed (docs/testing.md, "Tested against an AWS API"). Each runs
 * in an account of its own, all at once. What is asserted comes from the environment file, not from
 * the synthesized Terraform.
 */

interface Results extends Record<string, unknown> {
  account: ProductionAccount;
  environment: Record<string, any>;
  /** The stack's Terraform JSON, as synthesized. */
  stack: Record<string, any>;
  applyOutput: string;
  applied: AccountDump;
  secondPlan: ResourceDiff[];
  deploy: DeployResult;
  lock: LockResult;
  production: { before: unknown; after: unknown };
  previews: PreviewStory;
  wake: WakeResult;
}

/** `npm run wake` on a stack put to sleep: the script's run, and the scalable target before and after. */
interface WakeResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly asleep: any;
  readonly awake: any;
}

/** The preview story's steps, each with what the account looked like after it. */
interface PreviewStory {
  readonly steps: {
    readonly step: string;
    /** Production's own rules (every rule but staging's and the previews'), per listener port. */
    readonly productionRules: unknown;
    /** Staging's resources as the AWS API answers: its rules, target group, service, records, roles. */
    readonly staging: unknown;
    /** What of each preview is in the account: its rules' priorities and hosts, target group, service, log group. */
    readonly previews: Record<number, { rules: { priority: string; host: string; sourceIps: string[] }[]; targetGroup: boolean; service: string | undefined; logGroup: boolean }>;
  }[];
  /** The same two, after staging was applied and before any preview. */
  readonly before: { readonly productionRules: unknown; readonly staging: unknown };
  /** The staging stack's plan after the last step. */
  readonly stagingPlan: ResourceDiff[];
  /** The reopen, applied from two working copies of PR 12 at once (two pushes): each apply's summary line. */
  readonly reopenApplies: { status: string; summary: string }[];
}

/** Two copies of one stack with its state on the emulator's S3 (`use_lockfile`), applied at once. */
interface LockResult {
  /** The two applies, settled. */
  applies: PromiseSettledResult<string>[];
  /** The state file's key, from the synthesized backend. */
  key: string;
  /** Objects in the state bucket after both. */
  objects: string[];
  /** Resource addresses in the state the bucket holds. */
  stateAddresses: string[];
}

interface DeployResult {
  phases: { name: string; status: number | null }[];
  calls: string[];
  stdout: string;
  after: AccountDump;
  /** The same deploy again, with a smoke test that answers 503: its rollback, against the emulator. */
  rollback: {
    phases: { name: string; status: number | null }[];
    calls: string[];
    /** Each call's argv. */
    argvs: string[][];
    stdout: string;
    stderr: string;
    /** The digests `stg` named before the build, after its (stubbed) push, and after the rollback. */
    digests: { before: string; pushed: string; after: string };
    /** The service's PRIMARY deployment after the rollback. */
    primary: { taskDefinition: string; rolloutState: string };
  };
}

const EXAMPLES = environmentFileNames(path.join(PROJECT_ROOT, EXAMPLES_DIR)).map((file) => path.join(EXAMPLES_DIR, file));
const LOOKUP = path.join('__tests__', 'fixtures', 'lookup', 'lookup.json');
const FILES = [...EXAMPLES, LOOKUP];
const nameOf = (file: string) => path.basename(file, '.json');

/** The stack the deploy hand-off runs in: the example with a pipeline. */
const DEPLOYED = 'stg';
/**
 * The stack whose state lives on the emulator's S3 (its `backend` section), applied from two working
 * copies at once as two CI jobs would; the second plan runs in the copy that lost the race.
 */
const ON_S3 = 'stg';
/** The stack whose previews are opened, closed and reopened (its state is on S3: previews read it). */
const PREVIEWED = 'stg';
const PREVIEW_NUMBERS = [7, 12, 40];

function runScenario(file: string, codebuild: CodeBuildStandIn): Scenario<Results> {
  const name = nameOf(file);
  return Scenario.start<Results>(name, async (record) => {
    const emulator = await Emulator.start();
    const copies: EmulatorStack[] = [];
    const projects: string[] = [];
    let stack: EmulatorStack;
    let preparing: Promise<PreparedPreviews> | undefined;
    try {
      // GIVEN a production account, and the file rewritten to its IDs
      const account = await emulator.createProductionAccount();
      record('account', account);
      const environment = forProductionAccount(file, account);
      if (name === ON_S3) environment.backend = { bucket: account.stateBucket };
      if (environment.adopt) {
        // the lookup fixture adopts what a team made by hand: here, a log group, a cluster, a target group
        const handmade = await emulator.createHandmadeStaging();
        environment.adopt = { logGroup: true, cluster: true, targetGroup: handmade.targetGroupArn };
      }
      record('environment', environment);
      // the previews' working copies come up (init, backend) while staging applies
      if (name === PREVIEWED) {
        preparing = preparePreviews(environment, emulator);
        preparing.catch(() => undefined);
      }
      const project = tempProject({ [name]: environment });
      projects.push(project.root);
      const stackDir = synthesizeFixtures(project.environmentsDir)[name];
      record('stack', JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')));
      const before = await emulator.snapshotProduction();

      // WHEN applied (on S3: from two copies at once), planned again, (stg) deployed by its buildspec, and destroyed
      let planner: EmulatorStack;
      if (name === ON_S3) {
        copies.push(...(await Promise.all([0, 1].map(() => EmulatorStack.create(stackDir, emulator.endpoint, { s3Backend: true })))));
        const applies = await Promise.allSettled(copies.map((copy) => copy.apply('-lock-timeout=0s')));
        const winner = applies.findIndex((result) => result.status === 'fulfilled');
        if (winner < 0) throw new Error(`neither copy applied: ${applies.map((result) => (result as PromiseRejectedResult).reason).join('\n')}`);
        record('applyOutput', (applies[winner] as PromiseFulfilledResult<string>).value);
        record('lock', await lockResult(emulator, account, JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')), applies));
        [stack, planner] = [copies[winner], copies[1 - winner]];
      } else {
        stack = await EmulatorStack.create(stackDir, emulator.endpoint);
        copies.push(stack);
        record('applyOutput', await stack.apply());
        planner = stack;
      }
      const applied = await emulator.dump();
      record('applied', applied);
      record('secondPlan', await planner.plan());
      if (environment.service.schedule) record('wake', await wakeByHand(emulator, project.root, name));
      if (preparing) record('previews', await previewStory(await preparing, environment, applied, emulator, planner));
      if (name === DEPLOYED) record('deploy', await deployHandOff(stack, stackDir, emulator, codebuild, environment));
      await stack.destroy();
      record('production', { before, after: await emulator.snapshotProduction() });
    } finally {
      const prepared = await preparing?.catch(() => undefined);
      await prepared?.dispose();
      for (const copy of copies) await copy.dispose();
      for (const root of projects) fs.rmSync(root, { recursive: true, force: true });
      await emulator.stop();
    }
  });
}

/**
 * `npm run wake -- <stack>` against the emulator, after the sleep action would have run: the target
 * is first scaled to 0 as sleep does, then woken by the script, with the real AWS CLI.
 */
async function wakeByHand(emulator: Emulator, projectRoot: string, name: string): Promise<WakeResult> {
  const targets = async () => JSON.parse(await emulator.aws(['application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'ecs'])).ScalableTargets;
  const [target] = await targets();
  const capacities = ['--min-capacity', '0', '--max-capacity', '0'];
  await emulator.aws(['application-autoscaling', 'register-scalable-target', '--service-namespace', 'ecs', '--resource-id', target.ResourceId, '--scalable-dimension', target.ScalableDimension, ...capacities]);
  const asleep = (await targets())[0];
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/wake.ts'), name],
      { cwd: projectRoot, env: withPythonScripts({ ...process.env, ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: emulator.endpoint }), encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) ?? 1 : 0, stdout, stderr }),
    );
  });
  return { ...run, asleep, awake: (await targets())[0] };
}

/** The previews of a staging environment, synthesized, each in a working copy on the emulator, not yet applied. */
interface PreparedPreviews {
  readonly synth: ReturnType<typeof synthesize>;
  readonly copies: Map<number, EmulatorStack>;
  /** A second working copy of PR 12: a second build of the same pull request. */
  readonly twin: EmulatorStack;
  /** Destroys what the copies applied, stops their providers, removes the project. */
  dispose(): Promise<void>;
}

async function preparePreviews(environment: Record<string, any>, emulator: Emulator): Promise<PreparedPreviews> {
  const project = tempProject({ [PREVIEWED]: environment });
  const synth = synthesize({ environmentsDir: project.environmentsDir, outdir: project.outdir, previews: { numbers: PREVIEW_NUMBERS }, info: () => {}, warn: () => {} });
  const copies = new Map<number, EmulatorStack>();
  let twin: EmulatorStack | undefined;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await Promise.all(
      [...copies.values()].map(async (copy) => {
        await copy.destroy().catch(() => undefined);
        await copy.dispose();
      }),
    );
    await twin?.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  };
  try {
    if (synth.exitCode !== 0) throw new Error('the previews did not synthesize');
    const copyOf = async (stack: (typeof synth.previews)[number]) => {
      const backend = JSON.parse(fs.readFileSync(path.join(stack.outputDirectory, 'cdk.tf.json'), 'utf8')).data.terraform_remote_state.staging.config;
      // The staging state, on the emulator's S3: the remote state's config, pointed there as the backend is.
      const remoteState = { data: { terraform_remote_state: { staging: { config: { ...backend, endpoints: { s3: emulator.endpoint, sts: emulator.endpoint }, use_path_style: true, skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true } } } } };
      return EmulatorStack.create(stack.outputDirectory, emulator.endpoint, { s3Backend: true, extraFiles: { 'zzzz_remote_state_override.tf.json': JSON.stringify(remoteState) } });
    };
    await Promise.all([
      ...synth.previews.map(async (stack) => copies.set(stack.preview.number, await copyOf(stack))),
      (async () => (twin = await copyOf(synth.previews.find((stack) => stack.preview.number === 12)!)))(),
    ]);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { synth, copies, twin: twin!, dispose };
}

/**
 * Pull request previews of the applied staging stack, as their build applies them: three opened at
 * once, one closed (destroyed), then reopened. After each step: production's own rules, the staging
 * stack's plan, and what of each preview the account holds. Every preview is destroyed at the end.
 */
async function previewStory(prepared: PreparedPreviews, environment: Record<string, any>, before: AccountDump, emulator: Emulator, staging: EmulatorStack): Promise<PreviewStory> {
  const { synth, copies, twin } = prepared;
  const stagingHost = environment.listenerRule.hostHeader;
  const hosts = [stagingHost, ...synth.previews.map((preview) => preview.preview.host)];
  const productionRules = (dump: AccountDump) =>
    Object.fromEntries(Object.entries(dump.rules).map(([port, rules]) => [port, rules.filter((rule) => !hostsOf(rule).some((host) => hosts.includes(host)))]));
  const stagingResources = (dump: AccountDump) => ({
    rules: Object.values(dump.rules).flat().filter((rule) => hostsOf(rule).includes(stagingHost)),
    targetGroup: targetGroup(dump, environment),
    service: service(dump, environment),
    records: dump.records,
    roles: dump.roles,
    lifecyclePolicies: dump.lifecyclePolicies,
  });
  const steps: PreviewStory['steps'][number][] = [];
  let stagingPlan: ResourceDiff[] = [];
  let reopenApplies: PreviewStory['reopenApplies'] = [];
  const check = async (step: string) => {
    const dump = await emulator.dump();
    const previews = Object.fromEntries(
      synth.previews.map(({ preview }) => {
        const rules = Object.values(dump.rules).flat().filter((rule: any) => hostsOf(rule).includes(preview.host));
        return [
          preview.number,
          {
            rules: rules.map((rule: any) => ({ priority: rule.Priority, host: preview.host, sourceIps: conditionValues(rule, 'source-ip') })),
            targetGroup: dump.targetGroups.some((group) => group.TargetGroupName === preview.targetGroup),
            service: dump.services.find((candidate) => candidate.serviceName === preview.service)?.status,
            logGroup: dump.logGroups.includes(preview.logGroup),
          },
        ];
      }),
    );
    steps.push({ step, productionRules: productionRules(dump), staging: stagingResources(dump), previews });
  };
  try {
    // One after the other, as three builds might also run: at once, under load, the emulator sometimes
    // drops a connection mid-response and the provider's retry of CreateRule finds its own rule (gaps.ts).
    for (const number of PREVIEW_NUMBERS) await copies.get(number)!.apply('-var', `deployed_at=2026-12-02T00:00:${number}Z`);
    await check('open 7, 12 and 40');
    await copies.get(12)!.destroy();
    await check('close 12');
    // two pushes to PR 12 at once: two builds apply the same stack; S3's lock file makes the second wait
    const applies = await Promise.allSettled([copies.get(12)!.apply('-lock-timeout=5m'), twin.apply('-lock-timeout=5m')]);
    reopenApplies = applies.map((result) => ({
      status: result.status,
      summary: result.status === 'fulfilled' ? (/Apply complete! Resources: [^\n]*/.exec(result.value)?.[0] ?? '') : String(result.reason).slice(0, 500),
    }));
    await check('reopen 12');
    // and Terraform agrees: the staging stack would change nothing
    stagingPlan = await staging.plan();
  } finally {
    await prepared.dispose();
  }
  return { steps, before: { productionRules: productionRules(before), staging: stagingResources(before) }, stagingPlan, reopenApplies };
}

/** The host names a rule matches. */
function hostsOf(rule: any): string[] {
  return rule.Conditions.filter((condition: any) => condition.Field === 'host-header').flatMap((condition: any) => condition.HostHeaderConfig?.Values ?? condition.Values ?? []);
}

/** A Docker image manifest with one layer of its own (the emulator's digest is the layers'). */
function imageManifest(layer: number): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1, digest: `sha256:${'c'.repeat(63)}${layer}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1, digest: `sha256:${'a'.repeat(63)}${layer}` }],
  });
}

/**
 * `docker push <repo>:<tag>` as the registry sees it: the real AWS CLI puts PUSHED_MANIFEST under that
 * tag in the emulator's ECR (the stand-in's own docker stub records the call first, next on PATH).
 */
const DOCKER_PUSH = `#!/usr/bin/env bash
if [ "$1" = push ] && [ -n "\${PUSHED_MANIFEST:-}" ]; then
  ref="\${2#*/}"
  "$REAL_AWS" ecr put-image --repository-name "\${ref%%:*}" --image-tag "\${ref#*:}" --image-manifest "$PUSHED_MANIFEST" > /dev/null || exit 1
fi
PATH="\${PATH#*:}" exec docker "$@"
`;

/**
 * The pipeline's deploy, as far as the emulator goes: Terraform registers a new revision (a memory
 * change), then the CodeBuild project's own buildspec runs with the real AWS CLI against the emulator:
 * the revision and image before, update-service, and the deploy check's wait on the PRIMARY deployment
 * (moto_server.py starts one, COMPLETED when the service's running count reaches its desired count).
 * Only `docker` (no Docker engine here) is a stub; the example's allowlist skips the smoke test. Then
 * the same deploy with a smoke test whose `curl` (a stub) answers 503: the rollback puts `stg` back on
 * the image it named before the build and redeploys the revision that ran before, through the real CLI.
 */
async function deployHandOff(stack: EmulatorStack, stackDir: string, emulator: Emulator, codebuild: CodeBuildStandIn, file: Record<string, any>): Promise<DeployResult> {
  const terraform = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const [taskDefinition] = Object.keys(terraform.resource.aws_ecs_task_definition);
  const edited = JSON.parse(fs.readFileSync(path.join(stack.workdir.dir, 'cdk.tf.json'), 'utf8'));
  edited.resource.aws_ecs_task_definition[taskDefinition].memory = 1024;
  fs.writeFileSync(path.join(stack.workdir.dir, 'cdk.tf.json'), JSON.stringify(edited, null, 2));
  // the second plan has just refreshed the state
  await stack.apply('-refresh=false');
  // the staging deploy's project (the previews' has its own address)
  const project = terraform.resource.aws_codebuild_project[ADDRESS.buildProject] as { source: { buildspec: string } };
  const realAws = { ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: emulator.endpoint, ...(awsCli() && { REAL_AWS: awsCli() }) };
  // The emulator runs no tasks: UpdateService with a desired count sets its running count to it (moto),
  // so the service runs its one task, as ECS reports a healthy service.
  const [serviceConfig] = Object.values(terraform.resource.aws_ecs_service) as { name: string }[];
  const running = (await emulator.dump()).services.find((candidate) => candidate.serviceName === serviceConfig.name);
  await emulator.aws(['ecs', 'update-service', '--cluster', running.clusterArn, '--service', running.serviceName, '--desired-count', String(running.desiredCount)]);
  const stubs = deployCheckStubs(['curl', 'sleep']);
  fs.writeFileSync(path.join(stubs.dir, 'docker'), DOCKER_PUSH, { mode: 0o755 });
  try {
    const build = await codebuild.runBuild(project.source.buildspec, { realAws, stubDir: stubs.dir });
    const after = await emulator.dump();
    await DEPLOY_GAPS.restoreServiceTaskDefinition(emulator, after, terraform.resource.aws_ecs_service);

    // The same deploy, with a smoke test that fails: before it, "stg" names image 1 (and its build's own tag)
    const environment = environmentSchema.parse(file);
    const props = buildspecPropsFor(environment, `environments/${DEPLOYED}.json`);
    const repository = ECR_REPOSITORY_URL.exec(props.repositoryUrl)![4];
    const digestOf = async (tag: string) => (await emulator.aws(['ecr', 'describe-images', '--repository-name', repository, '--image-ids', `imageTag=${tag}`, '--query', 'imageDetails[0].imageDigest', '--output', 'text'])).trim();
    for (const tag of ['stg.1699990000', 'stg']) await emulator.aws(['ecr', 'put-image', '--repository-name', repository, '--image-tag', tag, '--image-manifest', imageManifest(1)]);
    const before = await digestOf('stg');
    const failing = renderBuildspec({ ...props, smokeTest: { url: `https://${environment.listenerRule.hostHeader}/healthcheck` } });
    const rolledBack = await codebuild.runBuild(failing, { realAws, stubDir: stubs.dir, env: { STUB_CURL: '503', PUSHED_MANIFEST: imageManifest(2) } });
    const pushed = (await emulator.aws(['ecr', 'describe-images', '--repository-name', repository, '--image-ids', 'imageTag=stg.1700000000', '--query', 'imageDetails[0].imageDigest', '--output', 'text'])).trim();
    const service = JSON.parse(await emulator.aws(['ecs', 'describe-services', '--cluster', running.clusterArn, '--services', running.serviceName, '--output', 'json'])).services[0];
    const primary = service.deployments.find((deployment: any) => deployment.status === 'PRIMARY');
    return {
      phases: build.phases,
      calls: programs(build),
      stdout: build.stdout,
      after,
      rollback: {
        phases: rolledBack.phases,
        calls: programs(rolledBack),
        argvs: rolledBack.calls.map((call) => call.argv),
        stdout: rolledBack.stdout,
        stderr: rolledBack.stderr,
        digests: { before, pushed, after: await digestOf('stg') },
        primary: { taskDefinition: primary.taskDefinition, rolloutState: primary.rolloutState },
      },
    };
  } finally {
    stubs.dispose();
  }
}

/** What the bucket holds after both applies: objects, and the addresses in the state file, read through the S3 API. */
async function lockResult(emulator: Emulator, account: ProductionAccount, terraform: Record<string, any>, applies: PromiseSettledResult<string>[]): Promise<LockResult> {
  const { key } = terraform.terraform.backend.s3;
  const listing = await emulator.aws(['s3api', 'list-objects-v2', '--bucket', account.stateBucket, '--output', 'json']);
  const state = JSON.parse(await emulator.aws(['s3', 'cp', `s3://${account.stateBucket}/${key}`, '-']));
  const stateAddresses = state.resources
    .filter((resource: any) => resource.mode === 'managed')
    .map((resource: any) => `${resource.type}.${resource.name}`)
    .sort();
  return { applies, key, objects: (JSON.parse(listing || '{}').Contents ?? []).map((object: { Key: string }) => object.Key), stateAddresses };
}

/** The port of the listener a file's rule is on: its ARN, or the looked-up listener's port. */
function listenerPort(environment: Record<string, any>, account: ProductionAccount): number {
  const { listenerArn, loadBalancer } = environment.listenerRule;
  if (loadBalancer) return loadBalancer.listenerPort;
  return { [account.httpListenerArn]: 80, [account.httpsListenerArn]: 443 }[listenerArn]!;
}

/** The staging rules on the production listener: those for the file's host. */
function stagingRules(applied: AccountDump, environment: Record<string, any>, account: ProductionAccount): any[] {
  const host = environment.listenerRule.hostHeader;
  return applied.rules[listenerPort(environment, account)].filter((rule) =>
    rule.Conditions.some((condition: any) => condition.Field === 'host-header' && (condition.HostHeaderConfig?.Values ?? condition.Values).includes(host)),
  );
}

function conditionValues(rule: any, field: string): string[] {
  return rule.Conditions.filter((condition: any) => condition.Field === field).flatMap((condition: any) => condition.SourceIpConfig?.Values ?? condition.HttpHeaderConfig?.Values ?? condition.Values ?? []);
}

/** The target group a file names. */
function targetGroup(applied: AccountDump, environment: Record<string, any>): any {
  return applied.targetGroups.find((group) => group.TargetGroupName === environment.targetGroup.name);
}

function service(applied: AccountDump, environment: Record<string, any>): any {
  return applied.services.find((candidate) => candidate.serviceName === environment.service.name);
}

/** Only the ID of a security group reference: the emulator answers "<account>/sg-…" (gaps.ts). */
const groupId = (reference: string) => reference.split('/').at(-1);

/** Every resource an IAM policy names for reading secrets. */
function secretResources(policy: any): string[] {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements
    .filter((statement: any) => [statement.Action].flat().some((action: string) => /^(secretsmanager:GetSecretValue|ssm:GetParameters?)$/.test(action)))
    .flatMap((statement: any) => [statement.Resource].flat());
}

// The first test of a scenario waits for its whole run (minutes of Terraform, more beside the other suites).
jest.setTimeout(600000);

describeWithEmulator('every example and the lookup fixture, applied to the AWS emulator', () => {
  let codebuild: CodeBuildStandIn;
  const scenarios: Record<string, Scenario<Results>> = {};

  beforeAll(() => {
    codebuild = CodeBuildStandIn.create({ epoch: '1700000000' });
    for (const file of FILES) scenarios[nameOf(file)] = runScenario(file, codebuild);
  });
  afterAll(async () => {
    await Promise.all(Object.values(scenarios).map((scenario) => scenario.done));
    codebuild?.dispose();
    const summary = Object.values(scenarios).map((scenario) => `  ${scenario.name}: ${scenario.seconds.toFixed(0)} s (${scenario.timings.join(', ')})`);
    process.stdout.write(`emulator scenarios, seconds per step:\n${summary.join('\n')}\n`);
  });

  describe.each(FILES.map(nameOf))('%s', (name) => {
    const get = <K extends keyof Results>(key: K) => scenarios[name].get(key);

    test('applies: every resource of the stack is created (or imported), and the lookups resolve', async () => {
      const output = await get('applyOutput');
      const stack = await get('stack');
      const adopted = (stack.import ?? []).length;
      const applicable = Object.entries(stack.resource as Record<string, object>).filter(([type]) => !(type in UNSUPPORTED_RESOURCES));
      const created = applicable.reduce((sum, [, byName]) => sum + Object.keys(byName).length, 0) - adopted;
      expect(output).toMatch(new RegExp(`Apply complete! Resources: ${adopted > 0 ? `${adopted} imported, ` : ''}${created} added, \\d+ changed, 0 destroyed`));
    });

    test('the staging rule is on the production listener: the file’s priority, host header and restriction, forwarding to its target group', async () => {
      const [environment, applied, account] = await Promise.all([get('environment'), get('applied'), get('account')]);
      const rules = stagingRules(applied, environment, account);
      const { priority, access } = environment.listenerRule;
      // consecutive priorities from the file's, as many as the allowlist needs
      expect(rules.map((rule) => Number(rule.Priority)).sort()).toEqual(rules.map((_, index) => priority + index));
      expect(rules.flatMap((rule) => conditionValues(rule, 'source-ip')).sort()).toEqual([...(access.sourceIps ?? [])].sort());
      if (access.httpHeader) {
        for (const rule of rules) expect(conditionValues(rule, 'http-header')).toEqual([applied.parameterValues[access.httpHeader.valueFrom]]);
      }
      for (const rule of rules) expect(rule.Actions.at(-1)).toMatchObject({ Type: 'forward', TargetGroupArn: targetGroup(applied, environment).TargetGroupArn });
    });

    test('the target group: the container port, HTTP to IP targets in the VPC, the file’s health check', async () => {
      const [environment, applied, account] = await Promise.all([get('environment'), get('applied'), get('account')]);
      const health = environment.targetGroup.healthCheck;
      expect(targetGroup(applied, environment)).toMatchObject({
        Port: environment.taskDefinition.container.port,
        Protocol: 'HTTP',
        TargetType: 'ip',
        VpcId: account.vpcId,
        HealthCheckPath: health.path,
        HealthCheckIntervalSeconds: health.interval,
        HealthCheckTimeoutSeconds: health.timeout,
        HealthyThresholdCount: health.healthyThreshold,
        UnhealthyThresholdCount: health.unhealthyThreshold,
        Matcher: { HttpCode: health.matcher ?? '200' },
      });
    });

    test('the service is attached to its target group, in the file’s subnets, on Fargate', async () => {
      const [environment, applied, account] = await Promise.all([get('environment'), get('applied'), get('account')]);
      const found = service(applied, environment);
      expect(found.clusterArn).toBe(`arn:aws:ecs:${account.region}:${account.accountId}:cluster/${environment.cluster.name}`);
      expect(found.loadBalancers).toEqual([
        { targetGroupArn: targetGroup(applied, environment).TargetGroupArn, containerName: environment.taskDefinition.container.name, containerPort: environment.taskDefinition.container.port },
      ]);
      expect(found.desiredCount).toBe(environment.service.desiredCount);
      // a strategy is not read back (gaps.ts, CAPACITY_GAPS): the launch type is checked for the default only
      expect(found.launchType).toBe(environment.service.capacity && environment.service.capacity !== 'FARGATE' ? CAPACITY_GAPS.launchTypeWithStrategy : 'FARGATE');
      const network = found.networkConfiguration.awsvpcConfiguration;
      expect([...network.subnets].sort()).toEqual([...(environment.service.subnetIds ?? account.subnetIds)].sort());
      expect(network.assignPublicIp).toBe(environment.service.assignPublicIp ? 'ENABLED' : 'DISABLED');
    });

    test('the DNS record, in the production zone: a weighted CNAME to the ALB, or an alias to it', async () => {
      const [environment, applied, account] = await Promise.all([get('environment'), get('applied'), get('account')]);
      const record = environment.dnsRecord;
      const found = applied.records.filter((candidate) => candidate.Name === `${record.name}.` && candidate.SetIdentifier === record.setIdentifier);
      if (record.type === 'alias') {
        expect(found).toEqual([
          expect.objectContaining({ Type: 'A', AliasTarget: expect.objectContaining({ DNSName: expect.stringMatching(new RegExp(`^${record.target.replace(/\./g, '\\.')}\\.?$`)), HostedZoneId: record.targetZoneId }) }),
        ]);
      } else {
        expect(found).toEqual([
          expect.objectContaining({ Type: 'CNAME', TTL: record.ttl, Weight: record.weight, ResourceRecords: [{ Value: record.target ?? account.albDnsName }] }),
        ]);
      }
    });

    test('the ECR lifecycle policy keeps the newest images of the tag prefix, as the file says', async () => {
      const [environment, applied] = await Promise.all([get('environment'), get('applied')]);
      const lifecycle = environment.ecrLifecycle;
      expect(applied.lifecyclePolicies[lifecycle.repository]).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: lifecycle.description,
            selection: { tagStatus: 'tagged', tagPrefixList: [lifecycle.tagPrefix], countType: 'imageCountMoreThan', countNumber: lifecycle.keepImages },
            action: { type: 'expire' },
          },
          // with previews, their images expire a day after a preview would be reaped
          ...(environment.previews
            ? [
                {
                  rulePriority: 2,
                  description: `expire pr-* images ${environment.previews.ttlDays + 1} days after their push`,
                  selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: environment.previews.ttlDays + 1 },
                  action: { type: 'expire' },
                },
              ]
            : []),
        ],
      });
    });

    test('IAM: the roles the stack created read exactly the listed secrets, and no production role changed', async () => {
      const [environment, applied, account, production] = await Promise.all([get('environment'), get('applied'), get('account'), get('production')]);
      const created = Object.keys(applied.roles).filter((role) => !(role in account.roles));
      const read = created.flatMap((role) => Object.values(applied.roles[role].inline).flatMap(secretResources));
      const listed: string[] = Object.values(environment.taskDefinition.container.secrets ?? {});
      // a given execution role is production's: the stack then grants nothing
      expect(read.sort()).toEqual(environment.taskDefinition.executionRoleArn ? [] : listed.sort());
      expect((production.after as any).roles).toEqual((production.before as any).roles);
    });

    test('the database admits the staging tasks on its port, and only when the file asks', async () => {
      const [environment, applied, account, production] = await Promise.all([get('environment'), get('applied'), get('account'), get('production')]);
      const tasksGroups: string[] = service(applied, environment).networkConfiguration.awsvpcConfiguration.securityGroups;
      const productionRules = new Set((production.before as any).securityGroupRules.map((rule: any) => rule.SecurityGroupRuleId));
      // rules the apply added (production's own rule admits production's tasks, whose group the lookup fixture's tasks share)
      const fromStaging = applied.securityGroupRules.filter(
        (rule) =>
          !productionRules.has(rule.SecurityGroupRuleId) &&
          rule.GroupId === account.databaseSecurityGroupId &&
          !rule.IsEgress &&
          tasksGroups.includes(groupId(rule.ReferencedGroupInfo?.GroupId ?? '')!),
      );
      const database = environment.service.database;
      expect(fromStaging.map((rule) => [rule.IpProtocol, rule.FromPort, rule.ToPort])).toEqual(database ? [['tcp', database.port, database.port]] : []);
    });

    test('capacity: a cluster offers FARGATE and FARGATE_SPOT when the file (or its previews) use Spot, and nothing otherwise', async () => {
      const [environment, applied] = await Promise.all([get('environment'), get('applied')]);
      const cluster = applied.clusters.find((candidate) => candidate.clusterName === environment.cluster.name);
      const spot = (environment.service.capacity ?? 'FARGATE') !== 'FARGATE' || (environment.previews && (environment.previews.capacity ?? 'FARGATE_SPOT') !== 'FARGATE');
      // a set in Terraform, sent in any order; a cluster without providers has none in the answer
      expect([...(cluster.capacityProviders ?? [])].sort()).toEqual(spot ? ['FARGATE', 'FARGATE_SPOT'] : []);
    });

    test('working hours: a scalable target on the service’s task count, and a wake and a sleep action in the file’s time zone', async () => {
      const [environment, applied, account] = await Promise.all([get('environment'), get('applied'), get('account')]);
      const schedule = environment.service.schedule;
      if (!schedule) {
        expect([applied.scalableTargets, applied.scheduledActions]).toEqual([[], []]);
        return;
      }
      const resourceId = `service/${environment.cluster.name}/${environment.service.name}`;
      const count = environment.service.desiredCount;
      expect(applied.scalableTargets).toEqual([expect.objectContaining({ ResourceId: resourceId, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: count, MaxCapacity: count })]);
      const actions = Object.fromEntries(applied.scheduledActions.map((action: any) => [action.ScheduledActionName, action]));
      expect(Object.keys(actions).sort()).toEqual([`${environment.service.name}-sleep`, `${environment.service.name}-wake`]);
      expect(actions[`${environment.service.name}-wake`]).toMatchObject({ ResourceId: resourceId, Schedule: schedule.wake, Timezone: schedule.timezone, ScalableTargetAction: { MinCapacity: count, MaxCapacity: count } });
      expect(actions[`${environment.service.name}-sleep`]).toMatchObject({ ResourceId: resourceId, Schedule: schedule.sleep, Timezone: schedule.timezone, ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } });
      expect(account.region).toBe(environment.region);
    });

    test('npm run wake: a stack put to sleep is scaled back to its desiredCount by the one call', async () => {
      const environment = await get('environment');
      // a stack without working hours is never put to sleep, so nothing is woken
      if (!environment.service.schedule) return expect(get('wake')).rejects.toThrow(/stopped before "wake": never recorded/);
      const wake = await get('wake');
      expect(wake.stderr).toBe('');
      expect(wake.status).toBe(0);
      expect([wake.asleep.MinCapacity, wake.asleep.MaxCapacity]).toEqual([0, 0]);
      expect([wake.awake.MinCapacity, wake.awake.MaxCapacity]).toEqual([environment.service.desiredCount, environment.service.desiredCount]);
      expect(wake.stdout).toContain(`${name}: waking to ${environment.service.desiredCount} task(s) until the next sleep`);
    });

    test('a second plan is empty, but for the emulator’s own differences (gaps.ts)', async () => {
      expect(await get('secondPlan')).toEqual([]);
    });

    test('after destroy, production is exactly as before: listeners, rules, ALB, zone, security groups, roles, repositories', async () => {
      const { before, after } = await get('production');
      expect(after).toEqual(before);
    });
  });

  describe(`state on the emulator's S3 with a lock file (${ON_S3}): two copies apply at once`, () => {
    const get = <K extends keyof Results>(key: K) => scenarios[ON_S3].get(key);

    test('one copy applies; the other stops on the lock, without waiting, and changes nothing', async () => {
      const { applies } = await get('lock');
      expect(applies.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = applies.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
      expect(String(rejected.reason)).toMatch(/Error acquiring the state lock/);
      expect(String(rejected.reason)).not.toMatch(/Apply complete|Creating\.\.\./);
    });

    test('the state is on S3 under the stack’s key, whole (the write-up’s seven and the rest), and the lock file is gone', async () => {
      const [{ key, objects, stateAddresses }, stack] = await Promise.all([get('lock'), get('stack')]);
      expect(objects).toEqual([key]);
      const managed = Object.entries(stack.resource as Record<string, object>)
        .filter(([type]) => !(type in UNSUPPORTED_RESOURCES))
        .flatMap(([type, byName]) => Object.keys(byName).map((resourceName) => `${type}.${resourceName}`));
      expect(stateAddresses).toEqual(managed.sort());
      expect(stateAddresses).toEqual(expect.arrayContaining(ARTICLE_ADDRESSES));
    });

    // the second plan of this stack (above) ran in the copy that lost the race, reading the state from S3
  });

  describe(`pull request previews of ${PREVIEWED}: open 7, 12 and 40, close 12, reopen it`, () => {
    const story = () => scenarios[PREVIEWED].get('previews');
    const environment = () => scenarios[PREVIEWED].get('environment');

    test('after each step, production’s own rules and staging’s resources are exactly as before the first preview', async () => {
      // THEN
      const { steps, before } = await story();
      expect(steps.map((step) => step.step)).toEqual(['open 7, 12 and 40', 'close 12', 'reopen 12']);
      for (const step of steps) {
        expect(step.productionRules).toEqual(before.productionRules);
        expect(step.staging).toEqual(before.staging);
      }
    });

    test('after the last step, the staging stack’s plan is empty', async () => {
      // THEN
      expect((await story()).stagingPlan).toEqual([]);
    });

    test('open: each preview has its rule in its slot of the band, with staging’s allowlist, its target group, service and log group', async () => {
      // THEN
      const [open] = (await story()).steps;
      const allowlist = (await environment()).listenerRule.access.sourceIps;
      expect(Object.fromEntries(Object.entries(open.previews).map(([number, preview]) => [number, preview.rules.map((rule) => rule.priority)]))).toEqual({ 7: ['1007'], 12: ['1002'], 40: ['1000'] });
      for (const preview of Object.values(open.previews)) {
        expect(preview.rules[0].sourceIps.sort()).toEqual([...allowlist].sort());
        expect(preview).toMatchObject({ targetGroup: true, service: 'ACTIVE', logGroup: true });
      }
    });

    test('close: PR 12 leaves nothing behind (no rule, target group, running service or log group), and 7 and 40 stay', async () => {
      // THEN
      const [, closed] = (await story()).steps;
      expect(closed.previews[12].rules).toEqual([]);
      expect(closed.previews[12]).toMatchObject({ targetGroup: false, logGroup: false });
      expect([undefined, 'INACTIVE', 'DRAINING']).toContain(closed.previews[12].service);
      expect(closed.previews[7]).toMatchObject({ targetGroup: true, service: 'ACTIVE' });
      expect(closed.previews[40]).toMatchObject({ targetGroup: true, service: 'ACTIVE' });
    });

    test('two pushes to PR 12 at once: the state lock serializes the two applies; one creates the preview, the other then finds nothing to do', async () => {
      // THEN
      const applies = (await story()).reopenApplies;
      expect(applies.map((apply) => apply.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(applies.map((apply) => apply.summary).sort()).toEqual(['Apply complete! Resources: 0 added, 0 changed, 0 destroyed.', 'Apply complete! Resources: 5 added, 0 changed, 0 destroyed.']);
    });

    test('reopen: PR 12 is back in the same slot', async () => {
      // THEN
      const [, , reopened] = (await story()).steps;
      expect(reopened.previews[12]).toMatchObject({ rules: [expect.objectContaining({ priority: '1002' })], targetGroup: true, service: 'ACTIVE', logGroup: true });
    });
  });

  describe(`the deploy hand-off (${DEPLOYED}): its buildspec, run with the real AWS CLI`, () => {
    const get = <K extends keyof Results>(key: K) => scenarios[DEPLOYED].get(key);

    test('every phase passes: ECR login, what runs before, build and push (stubbed docker), update-service, the wait on its PRIMARY deployment', async () => {
      const deploy = await get('deploy');
      expect(deploy.phases).toEqual([
        { name: 'pre_build', status: 0 },
        { name: 'build', status: 0 },
      ]);
      expect(deploy.calls.filter((call) => call.startsWith('aws'))).toEqual([
        'aws ecr get-login-password', 'aws ecs describe-services', 'aws ecr describe-images', 'aws ecs update-service', 'aws ecs describe-services',
      ]);
      // a first build: no image under the tag yet (ImageNotFoundException), so nothing to put back
      expect(deploy.stdout).toContain('deploy: stg names None before this build\n');
      expect(deploy.stdout).toMatch(/\ndeploy: stg-server:2: rollout COMPLETED, 1 of 1 running, after \d+ s\n/);
      // the example's allowlist: the build cannot pass it, and says so
      expect(deploy.stdout).toContain("deploy: warning: smoke test skipped: listenerRule.access.sourceIps admits only its CIDRs, and the smoke test needs the build's egress address among them");
      expect(deploy.calls.filter((call) => call.startsWith('curl --silent'))).toEqual([]);
    });

    test('a smoke test that answers 503: stg is put back on the image it named before, the revision before is redeployed and waited for, and the build fails', async () => {
      const { rollback } = await get('deploy');
      expect(rollback.phases.at(-1)).toEqual({ name: 'build', status: 1 });
      expect(rollback.calls.filter((call) => call.startsWith('aws') || call.startsWith('curl --silent')).slice(4)).toEqual([
        'aws ecs describe-services', ...Array(6).fill('curl --silent --show-error'),
        'aws ecr batch-get-image', 'aws ecr batch-get-image', 'aws ecr put-image', 'aws ecs update-service', 'aws ecs describe-services',
      ]);
      // the push moved the tag to image 2; the rollback moved it back to image 1
      expect(rollback.digests.pushed).not.toBe(rollback.digests.before);
      expect(rollback.digests.after).toBe(rollback.digests.before);
      // the revision that ran before this deploy (the mutable tag's: the same revision, now image 1 again)
      const [previous] = rollback.stdout.match(/(?<=deploy: before this deploy the service runs )\S+/)!;
      const update = rollback.argvs.filter((argv) => argv[2] === 'update-service').at(-1)!;
      expect(update[update.indexOf('--task-definition') + 1]).toBe(previous);
      expect(rollback.primary).toEqual({ taskDefinition: previous, rolloutState: 'COMPLETED' });
      expect(rollback.stderr.trimEnd().split('\n').at(-1)).toMatch(/^deploy failed: the smoke test of https:\/\/\S+\/healthcheck answered 503 after 6 tries; rolled back to stg-server:2$/);
    });

    test('the service is moved to the family’s latest revision: the one Terraform registered with the new memory', async () => {
      const [deploy, environment] = await Promise.all([get('deploy'), get('environment')]);
      const family = environment.taskDefinition.family;
      const latest = deploy.after.latestTaskDefinitions[family];
      expect(latest).toMatchObject({ revision: 2, memory: '1024' });
      const deployed = service(deploy.after, environment);
      // update-service --task-definition <family>: ECS resolves the family to its latest ACTIVE revision;
      // the emulator stores the family as given (DEPLOY_GAPS), so either is what the API can answer.
      expect([latest.taskDefinitionArn, ...DEPLOY_GAPS.serviceTaskDefinition(family)]).toContain(deployed.taskDefinition);
      // the wait's revision: the one ECS started the PRIMARY deployment on, the latest
      expect(deploy.stdout).toContain(` on ${latest.taskDefinitionArn}\n`);
    });
  });
});
