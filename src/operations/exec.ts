/**
 * `npm run exec`: ECS Exec into a running task of the service, as `aws ecs execute-command` does it:
 * ExecuteCommand opens the session, session-manager-plugin carries the terminal. Without the plugin, one
 * line says how to install it and gives the equivalent AWS CLI command.
 */
import type { ExecuteCommandCommandOutput, Task } from '@aws-sdk/client-ecs';
import { Clients, send } from './clients';
import { checkAccount, describeService, idOf, serviceTasks } from './ecs';
import { OperationError } from './errors';
import { ExecTarget, findOnPath, missingPluginLine, PLUGIN, pluginArguments } from './exec-command';
import { sdk } from './sdk';
import type { OperationTarget } from './target';

export interface ExecOptions {
  readonly container?: string;
  /** A task ID (or its start); default the newest running task. */
  readonly task?: string;
  readonly command: string;
}

export interface ExecRuntime {
  /** Where the plugin is looked for. */
  readonly path: string | undefined;
  readonly profile: string;
  readonly endpoint: string;
  /** Runs the plugin with the terminal attached; resolves to its exit code. */
  readonly run: (file: string, args: readonly string[]) => number;
}

/** The task to enter: the one asked for, else the newest that runs. */
function pickTask(tasks: readonly Task[], wanted: string | undefined, stack: string): Task {
  const running = tasks.filter((task) => task.lastStatus === 'RUNNING');
  if (wanted !== undefined) {
    const matches = tasks.filter((task) => idOf(task.taskArn).startsWith(wanted));
    if (matches.length === 0) throw new OperationError(`no running task ${wanted} in ${stack}: npm run status -- ${stack} lists them`);
    if (matches.length > 1) throw new OperationError(`--task ${wanted} matches ${matches.length} tasks: give more of the ID`);
    return matches[0];
  }
  if (running.length === 0) throw new OperationError(`${stack} has no running task${tasks.length ? ` (${tasks.length} starting)` : ''}: wait for one (npm run status -- ${stack}), or wake it (npm run wake -- ${stack})`);
  return [...running].sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0))[0];
}

/** Opens the session and hands the terminal to the plugin; resolves to the plugin's exit code. */
export async function execInto(clients: Clients, target: OperationTarget, options: ExecOptions, runtime: ExecRuntime): Promise<number> {
  if (target.preview) throw new OperationError(`${target.stack}: previews run without ECS Exec (no shell into a pull request's code next to production data)`);
  if (!target.execEnabled) throw new OperationError(`${target.file}: service.enableExecuteCommand is false, so ${target.stack} has no ECS Exec`);
  await checkAccount(clients, target);
  const service = await describeService(clients, target);
  if (service.enableExecuteCommand === false) {
    throw new OperationError(`${target.stack}: the service runs with ECS Exec off (enableExecuteCommand false in AWS): apply the stack (npm run deploy -- ${target.environment})`);
  }
  const task = pickTask(await serviceTasks(clients, target, 'RUNNING'), options.task, target.stack);
  const taskId = idOf(task.taskArn);
  const container = options.container ?? target.container;
  const inTask = task.containers?.find((candidate) => candidate.name === container);
  if (!inTask) throw new OperationError(`task ${taskId} has no container ${container} (it has ${(task.containers ?? []).map((candidate) => candidate.name).join(', ') || 'none'})`);
  if (task.enableExecuteCommand === false) {
    throw new OperationError(`task ${taskId} was started with ECS Exec off: start new tasks (aws ecs update-service --cluster ${target.cluster} --service ${target.service} --force-new-deployment) and try again`);
  }
  const execTarget: ExecTarget = { region: target.region, cluster: target.cluster, task: taskId, container, command: options.command };
  const plugin = findOnPath(PLUGIN, runtime.path);
  if (!plugin) throw new OperationError(missingPluginLine(execTarget));
  const runtimeId = inTask.runtimeId;
  if (!runtimeId) throw new OperationError(`task ${taskId}: container ${container} has no runtime ID yet (still starting?): try again in a moment`);
  const answer = await send<ExecuteCommandCommandOutput>(
    clients.ecs,
    new sdk.ecs.ExecuteCommandCommand({ cluster: target.cluster, task: taskId, container, command: options.command, interactive: true }),
  );
  if (!answer.session) throw new OperationError('ECS ExecuteCommand: the answer has no session');
  return runtime.run(plugin, pluginArguments(answer.session, { region: target.region, cluster: target.cluster, taskId, runtimeId }, runtime.profile, runtime.endpoint));
}
