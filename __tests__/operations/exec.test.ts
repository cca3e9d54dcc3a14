import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execInto, ExecRuntime } from '../../src/operations/exec';
import { commandOf, executeCommandLine, findOnPath, missingPluginLine, pluginArguments, shellWord } from '../../src/operations/exec-command';
import { exampleTarget, fakeClients } from '../support/operations';

const TASK_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const TASK_ARN = `arn:aws:ecs:ap-northeast-1:123456789012:task/stg_ecs_cluster/${TASK_ID}`;
const SESSION = { sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.ap-northeast-1.amazonaws.com/v1/data-channel/ecs-execute-command-0abc', tokenValue: 'token' };

/**
 * ECS Exec's stand-in: moto 5.2.1 has no ExecuteCommand (gaps: OPERATIONS_GAPS), so the call is answered
 * here as AWS documents it, and session-manager-plugin is a script that records its arguments.
 */
function world(task: Record<string, unknown> = {}) {
  return fakeClients({
    'ECS DescribeServices': { services: [{ serviceName: 'stg-server', status: 'ACTIVE', enableExecuteCommand: true }] },
    'ECS ListTasks': { taskArns: [TASK_ARN] },
    'ECS DescribeTasks': {
      tasks: [{ taskArn: TASK_ARN, group: 'service:stg-server', lastStatus: 'RUNNING', enableExecuteCommand: true, startedAt: new Date(), containers: [{ name: 'stg-server', runtimeId: `${TASK_ID}-1234567890` }], ...task }],
    },
    'ECS ExecuteCommand': (input: Record<string, unknown>) => ({ clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster', containerName: input.container, taskArn: TASK_ARN, interactive: true, session: SESSION }),
  });
}

function pluginDir(): { dir: string; recorded: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-exec-'));
  fs.writeFileSync(path.join(dir, 'session-manager-plugin'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args"\n`, { mode: 0o755 });
  return { dir, recorded: () => fs.readFileSync(path.join(dir, 'args'), 'utf8').trimEnd().split('\n') };
}

const runtime = (pathValue: string | undefined, run: ExecRuntime['run'] = () => 0): ExecRuntime => ({ path: pathValue, profile: 'staging', endpoint: 'https://ecs.ap-northeast-1.amazonaws.com', run });

describe('npm run exec', () => {
  test('opens the session with ExecuteCommand and hands it to session-manager-plugin, as the AWS CLI does', async () => {
    // GIVEN a running task and the plugin on PATH
    const { clients, calls } = world();
    const plugin = pluginDir();
    // WHEN
    const code = await execInto(clients, exampleTarget('stg'), { command: '/bin/sh' }, runtime(`/nonexistent:${plugin.dir}`, (file, args) => {
      // the real plugin runs with the terminal; this one records its arguments
      execFileSync(file, args);
      return 0;
    }));
    // THEN
    expect(code).toBe(0);
    expect(calls.find((call) => call.name === 'ECS ExecuteCommand')?.input).toEqual({ cluster: 'stg_ecs_cluster', task: TASK_ID, container: 'stg-server', command: '/bin/sh', interactive: true });
    expect(plugin.recorded()).toEqual([
      JSON.stringify(SESSION),
      'ap-northeast-1',
      'StartSession',
      'staging',
      JSON.stringify({ Target: `ecs:stg_ecs_cluster_${TASK_ID}_${TASK_ID}-1234567890` }),
      'https://ecs.ap-northeast-1.amazonaws.com',
    ]);
  });

  test('the plugin’s exit code is the command’s', async () => {
    const { clients } = world();
    const plugin = pluginDir();
    expect(await execInto(clients, exampleTarget('stg'), { command: 'ls' }, runtime(plugin.dir, () => 130))).toBe(130);
  });

  test('without the plugin: one line with how to install it and the equivalent aws ecs execute-command, and no session opened', async () => {
    const { clients, calls } = world();
    await expect(execInto(clients, exampleTarget('stg'), { command: 'rails console' }, runtime('/nonexistent'))).rejects.toThrow(
      new Error(`session-manager-plugin is not on PATH; ECS Exec needs it: install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html; macOS: brew install --cask session-manager-plugin), then run this again, or: aws ecs execute-command --region ap-northeast-1 --cluster stg_ecs_cluster --task ${TASK_ID} --container stg-server --interactive --command 'rails console'`),
    );
    expect(calls.some((call) => call.name === 'ECS ExecuteCommand')).toBe(false);
  });

  test.each([
    ['a preview', 'stg-pr-12', {}, {}, 'stg-pr-12: previews run without ECS Exec (no shell into a pull request\'s code next to production data)'],
    ['a file with exec off', 'stg', { off: true }, {}, 'examples/stg.json: service.enableExecuteCommand is false, so stg has no ECS Exec'],
    ['a task started before exec was on', 'stg', {}, { enableExecuteCommand: false }, `task ${TASK_ID} was started with ECS Exec off: start new tasks (aws ecs update-service --cluster stg_ecs_cluster --service stg-server --force-new-deployment) and try again`],
    ['no running task', 'stg', {}, { lastStatus: 'PENDING' }, 'stg has no running task (1 starting): wait for one (npm run status -- stg), or wake it (npm run wake -- stg)'],
  ])('refused in one line: %s', async (_, stack, file, task, message) => {
    const { clients } = world(task);
    const plugin = pluginDir();
    const target = exampleTarget(stack, (config) => {
      if ((file as { off?: boolean }).off) config.service.enableExecuteCommand = false;
    });
    await expect(execInto(clients, target, { command: '/bin/sh' }, runtime(plugin.dir))).rejects.toThrow(new Error(message));
  });

  test('--task and --container are checked against the task', async () => {
    const { clients } = world();
    const plugin = pluginDir();
    await expect(execInto(clients, exampleTarget('stg'), { command: 'sh', task: 'ffff' }, runtime(plugin.dir))).rejects.toThrow('no running task ffff in stg: npm run status -- stg lists them');
    await expect(execInto(clients, exampleTarget('stg'), { command: 'sh', container: 'sidecar' }, runtime(plugin.dir))).rejects.toThrow(`task ${TASK_ID} has no container sidecar (it has stg-server)`);
  });
});

describe('the AWS CLI command and the plugin’s arguments', () => {
  test('words are quoted only when the shell needs it', () => {
    expect(shellWord('/bin/sh')).toBe('/bin/sh');
    expect(shellWord('rails console')).toBe("'rails console'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });

  test('the command after --: a shell by default, one word as it is, several joined as typed', () => {
    expect(commandOf([])).toBe('/bin/sh');
    expect(commandOf(['bin/rails console'])).toBe('bin/rails console');
    expect(commandOf(['psql', '-c', 'select 1'])).toBe("psql -c 'select 1'");
  });

  test('executeCommandLine and missingPluginLine are one line each', () => {
    const target = { region: 'ap-northeast-1', cluster: 'stg_ecs_cluster', task: TASK_ID, container: 'stg-server', command: '/bin/sh' };
    expect(executeCommandLine(target)).toBe(`aws ecs execute-command --region ap-northeast-1 --cluster stg_ecs_cluster --task ${TASK_ID} --container stg-server --interactive --command /bin/sh`);
    expect(missingPluginLine(target)).not.toContain('\n');
  });

  test('pluginArguments: the SSM target is ecs:<cluster>_<task>_<runtime ID>', () => {
    expect(pluginArguments({ sessionId: 's' }, { region: 'r', cluster: 'c', taskId: 't', runtimeId: 'i' }, '', 'https://e')).toEqual(['{"sessionId":"s"}', 'r', 'StartSession', '', '{"Target":"ecs:c_t_i"}', 'https://e']);
  });

  test('findOnPath finds an executable file only', () => {
    const plugin = pluginDir();
    fs.writeFileSync(path.join(plugin.dir, 'not-executable'), '', { mode: 0o644 });
    expect(findOnPath('session-manager-plugin', `/nonexistent:${plugin.dir}`)).toBe(path.join(plugin.dir, 'session-manager-plugin'));
    expect(findOnPath('not-executable', plugin.dir)).toBeUndefined();
    expect(findOnPath('session-manager-plugin', undefined)).toBeUndefined();
  });
});
