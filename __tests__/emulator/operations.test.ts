import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ECSClient, ExecuteCommandCommand } from '@aws-sdk/client-ecs';
import { describeWithEmulator, Emulator, EMULATOR_CREDENTIALS, ProductionAccount } from '../support/emulator';
import { forProductionAccount } from '../support/emulator/environments';
import { MISSING_CALLS } from '../support/emulator/operations-gaps';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack } from '../support/emulator/stack';
import { tempProject } from '../support/environments';
import { runScript } from '../support/operations';
import { synthesizeFixtures } from '../support/stacks';
import { PROJECT_ROOT } from '../support/paths';

/**
 * The day-2 commands against the AWS emulator: the stg example applied once to the emulator's production
 * account, then `npm run status`, `logs`, `exec`, `rollback` and `drift` run as a person runs them (the
 * scripts, the real AWS SDK, AWS_ENDPOINT_URL). What ECS in the emulator does not do (run a service's
 * tasks, ExecuteCommand) is set up or recorded as operations-gaps.ts says.
 */

type Run = { status: number; stdout: string; stderr: string };

interface Results extends Record<string, unknown> {
  account: ProductionAccount;
  setup: { runningTask: string; stoppedTask: string; ip: string; revisions: string[]; build: string };
  status: Run;
  statusJson: Run;
  logs: Run;
  logsOfTask: Run;
  logsOfOtherContainer: Run;
  follow: Run & { appended: string };
  execWithoutPlugin: Run;
  execWithPlugin: Run;
  executeCommand: { name: string; status?: number };
  rollback: Run;
  serviceAfterRollback: { taskDefinition: string; deployments: any[] };
  rollbackAgain: Run;
  rollbackToGoneImage: Run;
  statusAfter: Run;
  driftNone: Run;
  drift: Run;
}

const STACK = 'stg';
const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
const NOW = Date.now();
/** The events the container "wrote": one too old for --since 1h, two inside it. */
const EVENTS = [
  { timestamp: NOW - 2 * 3600_000, message: 'started two hours ago' },
  { timestamp: NOW - 20 * 60_000, message: 'listening on :1323' },
  { timestamp: NOW - 5 * 60_000, message: 'GET /healthcheck 200 1.2ms' },
];

/** A Docker image manifest with one layer of its own (the emulator's digest is the layers'). */
function manifest(layer: number): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1, digest: `sha256:${'c'.repeat(63)}${layer}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1, digest: `sha256:${'a'.repeat(63)}${layer}` }],
  });
}

function runScenario(): Scenario<Results> {
  return Scenario.start<Results>('day-2 commands', async (record) => {
    // services created from here on report one running task and a COMPLETED deployment (operations-gaps.ts)
    const running = process.env.MOTO_ECS_SERVICE_RUNNING;
    process.env.MOTO_ECS_SERVICE_RUNNING = '1';
    const emulator = await Emulator.start().finally(() => {
      if (running === undefined) delete process.env.MOTO_ECS_SERVICE_RUNNING;
      else process.env.MOTO_ECS_SERVICE_RUNNING = running;
    });
    let stack: EmulatorStack | undefined;
    let projectRoot: string | undefined;
    try {
      const aws = async (...args: string[]) => {
        const out = await emulator.aws(args);
        return out.trim() ? JSON.parse(out) : {};
      };
      // a running task stays RUNNING however often it is described (operations-gaps.ts)
      await fetch(`${emulator.endpoint}/moto-api/state-manager/set-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1_000_000 } }) });

      // GIVEN the stg example, with working hours, applied to the production account
      const account = await emulator.createProductionAccount();
      record('account', account);
      const environment = forProductionAccount(path.join('examples', 'stg.json'), account);
      environment.service.schedule = HOURS;
      const project = tempProject({ [STACK]: environment });
      projectRoot = project.root;
      const stackDir = synthesizeFixtures(project.environmentsDir)[STACK];
      stack = await EmulatorStack.create(stackDir, emulator.endpoint);
      await stack.apply();

      // AND a deploy that made revision 2 (image stg.<epoch>), a task of it running behind the target group,
      // a task of revision 1 stopped, the container's log events, and a build of the pipeline
      await aws('ec2', 'modify-vpc-attribute', '--vpc-id', account.vpcId, '--enable-dns-hostnames', '{"Value":true}');
      const repository = environment.taskDefinition.container.image.replace(/:[^:/]+$/, '');
      await aws('ecr', 'put-image', '--repository-name', 'stg-server', '--image-tag', 'stg', '--image-manifest', manifest(1));
      await aws('ecr', 'put-image', '--repository-name', 'stg-server', '--image-tag', 'stg.1796640000', '--image-manifest', manifest(2));
      const first = (await aws('ecs', 'describe-task-definition', '--task-definition', 'stg-server')).taskDefinition;
      const input = {
        family: first.family,
        // the container's own memory: RunTask fails without it in the emulator (operations-gaps.ts)
        containerDefinitions: first.containerDefinitions.map((definition: any) => ({ ...definition, image: `${repository}:stg.1796640000`, memory: Number(first.memory) })),
        networkMode: first.networkMode,
        requiresCompatibilities: first.requiresCompatibilities,
        cpu: first.cpu,
        memory: first.memory,
        executionRoleArn: first.executionRoleArn,
        taskRoleArn: first.taskRoleArn,
      };
      const second = (await aws('ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(input))).taskDefinition;
      const cluster = environment.cluster.name;
      await aws('ecs', 'update-service', '--cluster', cluster, '--service', 'stg-server', '--task-definition', second.taskDefinitionArn);
      const service = (await aws('ecs', 'describe-services', '--cluster', cluster, '--services', 'stg-server')).services[0];
      const network = JSON.stringify(service.networkConfiguration);
      const runTask = async (taskDefinition: string) =>
        (await aws('ecs', 'run-task', '--cluster', cluster, '--task-definition', taskDefinition, '--launch-type', 'FARGATE', '--network-configuration', network, '--group', 'service:stg-server', '--started-by', service.deployments[0].id)).tasks[0];
      const task = await runTask(second.taskDefinitionArn);
      const stopped = await runTask(second.taskDefinitionArn);
      await aws('ecs', 'stop-task', '--cluster', cluster, '--task', stopped.taskArn, '--reason', 'Essential container in task exited');
      const ip = task.attachments[0].details.find((detail: any) => detail.name === 'privateIPv4Address').value;
      await aws('elbv2', 'register-targets', '--target-group-arn', service.loadBalancers[0].targetGroupArn, '--targets', `Id=${ip},Port=1323`);
      const taskId = task.taskArn.split('/').pop();
      await aws('logs', 'create-log-stream', '--log-group-name', 'stg-server', '--log-stream-name', `ecs/stg-server/${taskId}`);
      await aws('logs', 'put-log-events', '--log-group-name', 'stg-server', '--log-stream-name', `ecs/stg-server/${taskId}`, '--log-events', JSON.stringify(EVENTS));
      await aws('logs', 'create-log-stream', '--log-group-name', 'stg-server', '--log-stream-name', `ecs/sidecar/${taskId}`);
      await aws('logs', 'put-log-events', '--log-group-name', 'stg-server', '--log-stream-name', `ecs/sidecar/${taskId}`, '--log-events', JSON.stringify([{ timestamp: NOW - 60_000, message: 'sidecar says hello' }]));
      const build = (await aws('codebuild', 'start-build', '--project-name', 'stg-server-build')).build;
      record('setup', { runningTask: taskId, stoppedTask: stopped.taskArn.split('/').pop(), ip, revisions: [first.taskDefinitionArn, second.taskDefinitionArn], build: build.id });

      // WHEN each command runs as a person runs it, in the project, against the emulator
      const env = Object.fromEntries(Object.entries({ ...process.env, ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: emulator.endpoint }).filter(([name]) => name !== 'AWS_PROFILE'));
      const run = (command: string, ...args: string[]) => runScript(command, args, { cwd: project.root, env });
      record('status', await run('status', STACK));
      record('statusJson', await run('status', STACK, '--json'));
      record('logs', await run('logs', STACK, '--since', '1h'));
      record('logsOfTask', await run('logs', STACK, '--since', '1h', '--task', taskId));
      record('logsOfOtherContainer', await run('logs', STACK, '--since', '1h', '--container', 'sidecar'));
      record('follow', await follow(project.root, env, async () => {
        const appended = { timestamp: Date.now(), message: 'GET /orders 200 (while following)' };
        await aws('logs', 'put-log-events', '--log-group-name', 'stg-server', '--log-stream-name', `ecs/stg-server/${taskId}`, '--log-events', JSON.stringify([appended]));
        return appended.message;
      }));
      record('execWithoutPlugin', await run('exec', STACK));
      const pluginDir = fs.mkdtempSync(path.join(project.root, 'plugin-'));
      fs.writeFileSync(path.join(pluginDir, 'session-manager-plugin'), '#!/bin/sh\necho "plugin ran: $*"\n', { mode: 0o755 });
      record('execWithPlugin', await runScript('exec', [STACK, '--', 'ls', '-la'], { cwd: project.root, env: { ...env, PATH: `${pluginDir}${path.delimiter}${env.PATH}` } }));
      record('executeCommand', await executeCommandDirectly(emulator.endpoint, cluster, task.taskArn));
      record('rollback', await run('rollback', STACK));
      const after = (await aws('ecs', 'describe-services', '--cluster', cluster, '--services', 'stg-server')).services[0];
      record('serviceAfterRollback', { taskDefinition: after.taskDefinition, deployments: after.deployments });
      record('rollbackAgain', await run('rollback', STACK));
      await aws('ecr', 'batch-delete-image', '--repository-name', 'stg-server', '--image-ids', 'imageTag=stg.1796640000');
      record('rollbackToGoneImage', await run('rollback', STACK, '--to', '2'));
      record('statusAfter', await run('status', STACK));

      // drift: the applied working copy is cdktf.out/stacks/stg of the project (its state is local there)
      fs.mkdirSync(path.join(project.root, 'cdktf.out', 'stacks'), { recursive: true });
      fs.symlinkSync(stack.workdir.dir, path.join(project.root, 'cdktf.out', 'stacks', STACK));
      const driftEnv = { ...env, TF_CLI_CONFIG_FILE: path.join(stack.workdir.dir, '.terraformrc'), CHECKPOINT_DISABLE: '1' };
      record('driftNone', await runScript('drift', [STACK], { cwd: project.root, env: driftEnv }));
      await aws('logs', 'put-retention-policy', '--log-group-name', 'stg-server', '--retention-in-days', '7');
      record('drift', await runScript('drift', [STACK], { cwd: project.root, env: driftEnv }));
      await aws('logs', 'put-retention-policy', '--log-group-name', 'stg-server', '--retention-in-days', '30');
      await stack.destroy();
    } finally {
      await stack?.dispose();
      if (projectRoot) fs.rmSync(projectRoot, { recursive: true, force: true });
      await emulator.stop();
    }
  });
}

/** `npm run logs -- stg --since 1h --follow` until the first events are shown, then one more event is put, then Ctrl-C. */
function follow(cwd: string, env: NodeJS.ProcessEnv, append: () => Promise<string>): Promise<Run & { appended: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts', 'logs.ts'), STACK, '--since', '1h', '--follow'], { cwd, env });
    let stdout = '';
    let stderr = '';
    let appended: string | undefined;
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.stdout.on('data', async (chunk) => {
      stdout += chunk;
      if (appended === undefined && stdout.includes(EVENTS[2].message)) {
        appended = '';
        appended = await append().catch((error) => {
          reject(error);
          return '';
        });
      }
      if (appended && stdout.includes(appended)) {
        // a few polls more: the event must not come twice
        setTimeout(() => child.kill('SIGINT'), 2500);
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr, appended: appended ?? '' });
    });
  });
}

/** ExecuteCommand through the SDK itself, for the gap it shows (operations-gaps.ts). */
async function executeCommandDirectly(endpoint: string, cluster: string, task: string): Promise<{ name: string; status?: number }> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new ECSClient({ region: 'ap-northeast-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  try {
    await client.send(new ExecuteCommandCommand({ cluster, task, container: 'stg-server', command: '/bin/sh', interactive: true }));
    return { name: 'answered' };
  } catch (error) {
    return { name: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
  }
}

// The first test waits for the scenario: an apply and a destroy of the stack, and the commands in between.
jest.setTimeout(600000);

describeWithEmulator('the day-2 commands against the AWS emulator', () => {
  let scenario: Scenario<Results>;
  beforeAll(() => {
    scenario = runScenario();
  });
  afterAll(async () => {
    await scenario?.done;
    process.stdout.write(`emulator scenario, seconds per step:\n  ${scenario.name}: ${scenario.seconds.toFixed(0)} s (${scenario.timings.join(', ')})\n`);
    // docs/operations.md's outputs come from here: STAGING_CAPTURE_OPERATIONS=<file> writes them
    const capture = process.env.STAGING_CAPTURE_OPERATIONS;
    if (capture) {
      const keys = ['setup', 'status', 'statusJson', 'logs', 'logsOfTask', 'follow', 'execWithoutPlugin', 'execWithPlugin', 'rollback', 'rollbackAgain', 'rollbackToGoneImage', 'statusAfter', 'driftNone', 'drift'] as const;
      const values = await Promise.all(keys.map((key) => scenario.get(key).catch((error: Error) => ({ error: error.message }))));
      fs.writeFileSync(capture, JSON.stringify(Object.fromEntries(keys.map((key, index) => [key, values[index]])), null, 2));
    }
  });

  const oneLine = (run: Run) => run.stderr.trimEnd().split('\n');

  test('status stg: the service, its revision and the host, the deployment with its image tag, the task matched to its target by IP, the stopped task, working hours, the build', async () => {
    const [run, setup, account] = await Promise.all([scenario.get('status'), scenario.get('setup'), scenario.get('account')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^stg: environments/stg.json, ap-northeast-1, account ${account.accountId}, at `));
    expect(lines).toContain('url          http://stg-api.example.com (HTTP listener, port 80)');
    expect(lines).toContain('access       only from 203.0.113.0/24, 198.51.100.10/32');
    expect(lines).toContain('service      stg-server in stg_ecs_cluster: ACTIVE, 1 running / 1 desired / 0 pending, on stg-server:2 (FARGATE)');
    expect(run.stdout).toMatch(/^deployments {2}PRIMARY {2}COMPLETED {2}stg-server:2 {2}image stg\.1796640000 {2}1\/1 running {2}0 failed {2}since /m);
    expect(run.stdout).toMatch(new RegExp(`^tasks {8}${setup.runningTask} {2}RUNNING {2}- {2}${setup.ip.replace(/\./g, '\\.')} {2}stg-server:2 {2}started \\? {2}target healthy$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^stopped {6}${setup.stoppedTask} {2}stg-server:2 {2}\\? {2}Essential container in task exited`, 'm'));
    // the apply registered the target at 1 task: awake by the schedule, or (out of hours) as if woken by hand
    expect(run.stdout).toMatch(/^hours {8}(awake by the schedule since .* Asia\/Tokyo; sleeps at .* Asia\/Tokyo, in .*; capacity 1–1|asleep by the schedule since .* Asia\/Tokyo; wakes at .* Asia\/Tokyo, in .*; but woken by hand: capacity 1 until the next sleep)$/m);
    // the build's part is one line in its place: the emulator answers CodeBuild timestamps the SDK refuses (operations-gaps.ts)
    expect(lines).toContain('last build   not read: CodeBuild BatchGetBuilds: TypeError: Expected real number, got implicit NaN');
    expect(setup.build).toMatch(/^stg-server-build:/);
  });

  test('status stg --json parses, with the same parts', async () => {
    const [run, setup] = await Promise.all([scenario.get('statusJson'), scenario.get('setup')]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ stack: 'stg', host: 'stg-api.example.com', url: { url: 'http://stg-api.example.com', protocol: 'HTTP', port: 80 } });
    expect(report.service).toMatchObject({ name: 'stg-server', desired: 1, running: 1, taskDefinition: { arn: setup.revisions[1], family: 'stg-server', revision: 2 } });
    expect(report.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', imageTag: 'stg.1796640000' })]);
    expect(report.targets).toEqual([expect.objectContaining({ id: setup.ip, port: 1323, state: 'healthy', taskId: setup.runningTask })]);
    expect(report.workingHours).toMatchObject({ timezone: 'Asia/Tokyo', capacity: { min: 1, max: 1 } });
  });

  test('logs stg --since 1h prints the container’s events of the last hour, oldest first; --task and --container narrow them', async () => {
    const [run, ofTask, other, setup] = await Promise.all([scenario.get('logs'), scenario.get('logsOfTask'), scenario.get('logsOfOtherContainer'), scenario.get('setup')]);
    expect(run.status).toBe(0);
    const expected = EVENTS.slice(1).map((event) => `${new Date(event.timestamp).toISOString()}  ${setup.runningTask}  ${event.message}`);
    expect(run.stdout.trimEnd().split('\n')).toEqual(expected);
    expect(ofTask.stdout.trimEnd().split('\n')).toEqual(expected);
    expect(other.stdout).toMatch(/ {2}sidecar says hello\n$/);
    expect(other.stdout).not.toContain('healthcheck');
  });

  test('logs --follow shows a new event once, within seconds, and Ctrl-C ends it with exit 0', async () => {
    const run = await scenario.get('follow');
    expect(run.appended).not.toBe('');
    expect(run.status).toBe(0);
    const messages = run.stdout.trimEnd().split('\n').map((line) => line.split('  ').slice(2).join('  '));
    expect(messages).toEqual([EVENTS[1].message, EVENTS[2].message, run.appended]);
  });

  test('exec without session-manager-plugin: one line with how to install it and the aws ecs execute-command command', async () => {
    const [run, setup] = await Promise.all([scenario.get('execWithoutPlugin'), scenario.get('setup')]);
    expect(run.status).toBe(1);
    expect(oneLine(run)).toEqual([
      `error: session-manager-plugin is not on PATH; ECS Exec needs it: install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html; macOS: brew install --cask session-manager-plugin), then run this again, or: aws ecs execute-command --region ap-northeast-1 --cluster stg_ecs_cluster --task ${setup.runningTask} --container stg-server --interactive --command /bin/sh`,
    ]);
  });

  test('exec with the plugin stops, in one line, where the emulator’s task has no container runtime ID; ExecuteCommand itself is missing (gaps)', async () => {
    const [run, setup, direct] = await Promise.all([scenario.get('execWithPlugin'), scenario.get('setup'), scenario.get('executeCommand')]);
    expect(oneLine(run)).toEqual([`error: task ${setup.runningTask}: container stg-server has no runtime ID yet (still starting?): try again in a moment`]);
    expect(run.status).toBe(1);
    expect(direct).toEqual({ name: 'SyntaxError', status: 500 });
    expect(MISSING_CALLS.ExecuteCommand).toContain('HTTP 500');
  });

  test('rollback stg moves the service to the previous revision, waits for its PRIMARY deployment, exit 0', async () => {
    const [run, after, setup] = await Promise.all([scenario.get('rollback'), scenario.get('serviceAfterRollback'), scenario.get('setup')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^stg: stg-server:2 \(.*stg-server:stg\.1796640000\) → stg-server:1 \(.*stg-server:stg, sha256:/);
    expect(run.stdout).toContain('stg: on stg-server:1, rollout COMPLETED, 1/1 running, 0 failed, after ');
    expect(after.taskDefinition).toBe(setup.revisions[0]);
    expect(after.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', taskDefinition: setup.revisions[0], rolloutState: 'COMPLETED' })]);
  });

  test('rollback refuses in one line when there is no earlier revision, and when the revision’s image is gone from ECR', async () => {
    const [again, gone] = await Promise.all([scenario.get('rollbackAgain'), scenario.get('rollbackToGoneImage')]);
    expect(oneLine(again)).toEqual(['error: refusing to roll back stg: no ACTIVE revision of stg-server before :1, so there is nothing to roll back to']);
    expect(again.status).toBe(1);
    expect(oneLine(gone)).toEqual([expect.stringMatching(/^error: refusing to roll back stg: stg-server:2 runs .*stg-server:stg\.1796640000, which is no longer in ECR \(the lifecycle policy expired it, or it was deleted\)$/)]);
    expect(gone.status).toBe(1);
    expect((await scenario.get('statusAfter')).stdout).toContain('on stg-server:1 (FARGATE)');
  });

  test('drift: none right after the apply and the commands (what the stack leaves to deploys, and what its neighbours filled in, listed as such), exit 0', async () => {
    const run = await scenario.get('driftNone');
    expect(run.stderr.split('\n').filter((line) => line.startsWith('error'))).toEqual([]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('stg: no drift: every resource in the state is as Terraform left it');
    expect(lines).toContain('  aws_iam_role.stg_server_build: inline_policy');
    expect(lines).toContain('  aws_lb_target_group.stg_server_target: load_balancer_arns');
  });

  test('drift: a retention changed by hand is drift, with before → after, exit 2', async () => {
    const run = await scenario.get('drift');
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('aws_cloudwatch_log_group.stg_server: 1 attribute(s)');
    expect(run.stdout).toContain('    retention_in_days: 30 → 7');
  });
});
