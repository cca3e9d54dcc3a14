/** ECS reads shared by the day-2 commands: the service (or why it is not deployed), its tasks, a revision. */
import type { DescribeServicesCommandOutput, DescribeTaskDefinitionCommandOutput, DescribeTasksCommandOutput, ListTasksCommandOutput, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { Clients, send } from './clients';
import { AwsCallError, OperationError } from './errors';
import { sdk } from './sdk';
import type { OperationTarget } from './target';

/** `family:revision` of a task definition ARN (or of `family:revision` itself). */
export function revisionOf(taskDefinitionArn: string | undefined): { family: string; revision: number } | undefined {
  const match = /(?:task-definition\/)?([A-Za-z0-9_-]+):(\d+)$/.exec(taskDefinitionArn ?? '');
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

/** The last part of an ARN: a task's ID. */
export function idOf(arn: string | undefined): string {
  return (arn ?? '').split('/').pop() ?? '';
}

/** The credentials' account must be the one the file names: a command never acts on another account's stack of the same name. */
export async function checkAccount(clients: Clients, target: OperationTarget): Promise<string | undefined> {
  const identity = await send<GetCallerIdentityCommandOutput>(clients.sts, new sdk.sts.GetCallerIdentityCommand({}));
  if (target.account !== undefined && identity.Account !== undefined && identity.Account !== target.account) {
    throw new OperationError(`the AWS credentials are for account ${identity.Account}, but ${target.file} names account ${target.account}: set AWS_PROFILE to that account's profile`);
  }
  return identity.Account;
}

/** How a stack that is not (or no longer) there is told: the service, and what deploys it. */
function notDeployed(target: OperationTarget, why: string): OperationError {
  const how = target.preview
    ? `the previews build applies it when pull request ${target.preview.number} is opened or pushed to`
    : `deploy it with npm run deploy -- ${target.environment}`;
  return new OperationError(`${target.stack} is not deployed: ${why} (${target.region}); ${how}`);
}

/** The service, described with its tags; "not deployed" in one line when the cluster or service is missing or deleted. */
export async function describeService(clients: Clients, target: OperationTarget): Promise<Service> {
  let answer: DescribeServicesCommandOutput;
  try {
    answer = await send(clients.ecs, new sdk.ecs.DescribeServicesCommand({ cluster: target.cluster, services: [target.service], include: ['TAGS'] }));
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'ClusterNotFoundException') throw notDeployed(target, `no cluster ${target.cluster}`);
    throw error;
  }
  const service = answer.services?.[0];
  if (!service) throw notDeployed(target, `no service ${target.service} in cluster ${target.cluster}`);
  if (service.status === 'INACTIVE') throw notDeployed(target, `service ${target.service} in cluster ${target.cluster} was deleted`);
  return service;
}

/**
 * The service's tasks with this desired status, described. ECS tasks of a service are in the group
 * `service:<name>`; the group is checked too, as the emulator ignores ListTasks' serviceName (gaps).
 */
export async function serviceTasks(clients: Clients, target: OperationTarget, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send<ListTasksCommandOutput>(clients.ecs, new sdk.ecs.ListTasksCommand({ cluster: target.cluster, serviceName: target.service, desiredStatus, nextToken }));
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const tasks: Task[] = [];
  for (let index = 0; index < arns.length; index += 100) {
    const described = await send<DescribeTasksCommandOutput>(clients.ecs, new sdk.ecs.DescribeTasksCommand({ cluster: target.cluster, tasks: arns.slice(index, index + 100) }));
    tasks.push(...(described.tasks ?? []));
  }
  return tasks.filter((task) => task.group === undefined || task.group === `service:${target.service}`);
}

/** A task's private IPv4 address (awsvpc: its ENI's), which is its target in an `ip` target group. */
export function privateIpOf(task: Task): string | undefined {
  for (const attachment of task.attachments ?? []) {
    const detail = attachment.details?.find((item) => item.name === 'privateIPv4Address');
    if (detail?.value) return detail.value;
  }
  return task.containers?.flatMap((container) => container.networkInterfaces ?? []).find((network) => network.privateIpv4Address)?.privateIpv4Address;
}

/** One revision, described (memoized per command run by the caller). */
export async function describeTaskDefinition(clients: Clients, taskDefinition: string): Promise<TaskDefinition> {
  const answer = await send<DescribeTaskDefinitionCommandOutput>(clients.ecs, new sdk.ecs.DescribeTaskDefinitionCommand({ taskDefinition }));
  if (!answer.taskDefinition) throw new OperationError(`ECS DescribeTaskDefinition: no task definition ${taskDefinition}`);
  return answer.taskDefinition;
}

/** The image of the named container (else the first) of a revision. */
export function imageOf(taskDefinition: TaskDefinition, container: string): string | undefined {
  const definitions = taskDefinition.containerDefinitions ?? [];
  return (definitions.find((definition) => definition.name === container) ?? definitions[0])?.image;
}
