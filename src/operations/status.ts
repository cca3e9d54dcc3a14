/**
 * `npm run status`: what the on-call person needs on one screen, read from AWS. Each part is read on
 * its own: one it cannot read (a permission, a resource gone) is an error in its place, and the report
 * stands as long as the service itself was found. The wording is status-format.ts's.
 */
import type { DescribeScalableTargetsCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import type { BatchGetBuildsCommandOutput, ListBuildsForProjectCommandOutput } from '@aws-sdk/client-codebuild';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { DescribeListenersCommandOutput, DescribeLoadBalancersCommandOutput, DescribeTargetGroupsCommandOutput, DescribeTargetHealthCommandOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { ECS_DESIRED_COUNT, ecsServiceResourceId } from '../aws/autoscaling';
import { splitImage } from '../aws/ecr';
import { Clients, send } from './clients';
import { checkAccount, describeService, describeTaskDefinition, idOf, imageOf, privateIpOf, revisionOf, serviceTasks } from './ecs';
import { AwsCallError, firstLine, OperationError } from './errors';
import { previewTimeLeft, workingHoursAt } from './schedule';
import { sdk } from './sdk';
import type { AccessRestriction, OperationTarget } from './target';

/** A part of the report, or the one line saying why it could not be read. */
export type Part<T> = T | { readonly error: string };

export function isUnreadable<T>(part: Part<T>): part is { readonly error: string } {
  return typeof part === 'object' && part !== null && 'error' in part && Object.keys(part).length === 1;
}

export interface RevisionRef {
  readonly arn: string;
  readonly family?: string;
  readonly revision?: number;
}

export interface DeploymentStatus {
  readonly id: string;
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  readonly status: string;
  /** IN_PROGRESS, COMPLETED or FAILED (the circuit breaker's verdict). */
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinition: RevisionRef;
  /** The container's image, and its tag; absent when the revision could not be read (imageError says why). */
  readonly image?: string;
  readonly imageTag?: string;
  readonly imageError?: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly failedTasks: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export interface TaskStatus {
  readonly id: string;
  readonly lastStatus?: string;
  readonly healthStatus?: string;
  readonly taskDefinition: RevisionRef;
  readonly privateIp?: string;
  readonly availabilityZone?: string;
  readonly capacityProvider?: string;
  readonly startedAt?: string;
}

export interface StoppedTask {
  readonly id: string;
  readonly taskDefinition: RevisionRef;
  readonly stoppedAt?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly { readonly name?: string; readonly exitCode?: number; readonly reason?: string }[];
}

export interface TargetStatus {
  readonly id: string;
  readonly port?: number;
  readonly state?: string;
  readonly reason?: string;
  readonly description?: string;
  /** The running task whose private IP this is. */
  readonly taskId?: string;
}

export interface WorkingHoursStatus {
  readonly timezone: string;
  readonly wake: string;
  readonly sleep: string;
  /** What the schedule says at the time of the report. */
  readonly state: 'awake' | 'asleep';
  readonly since?: string;
  readonly next?: { readonly action: 'wake' | 'sleep'; readonly at: string };
  /** The scalable target's capacities (what the last action, or npm run wake, set). */
  readonly capacity: Part<{ readonly min?: number; readonly max?: number }>;
}

export interface PreviewStatus {
  readonly number: number;
  readonly ttlDays: number;
  /** When its state was last written: the reaper's clock. */
  readonly lastDeploy?: string;
  readonly expiresAt?: string;
  readonly leftSeconds?: number;
  /** Its pull request closed and its destroy did not finish (the `.closed` marker). */
  readonly closed: boolean;
}

export interface BuildStatus {
  readonly project: string;
  readonly id?: string;
  readonly status?: string;
  readonly phase?: string;
  readonly sourceVersion?: string;
  readonly startTime?: string;
  readonly endTime?: string;
}

export interface StatusReport {
  readonly stack: string;
  readonly file: string;
  readonly region: string;
  readonly account?: string;
  readonly checkedAt: string;
  readonly host: string;
  /** From the listener's protocol and port. */
  readonly url: Part<{ readonly url: string; readonly protocol?: string; readonly port?: number }>;
  readonly access: readonly AccessRestriction[];
  readonly service: {
    readonly name: string;
    readonly cluster: string;
    readonly status?: string;
    readonly desired: number;
    readonly running: number;
    readonly pending: number;
    readonly taskDefinition: RevisionRef;
    readonly launch?: string;
    readonly tags: Readonly<Record<string, string>>;
  };
  readonly deployments: Part<readonly DeploymentStatus[]>;
  readonly tasks: Part<readonly TaskStatus[]>;
  readonly stoppedTasks: Part<readonly StoppedTask[]>;
  readonly targets: Part<readonly TargetStatus[]>;
  /** Absent when the stack is always on. */
  readonly workingHours?: WorkingHoursStatus;
  readonly preview?: Part<PreviewStatus>;
  /** Absent without a pipeline; null when the project has no build yet. */
  readonly lastBuild?: Part<BuildStatus | null>;
  readonly events: readonly { readonly createdAt?: string; readonly message?: string }[];
}

/** How many stopped tasks and service events the report shows. */
export const STOPPED_SHOWN = 3;
export const EVENTS_SHOWN = 5;

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

function ref(arn: string | undefined): RevisionRef {
  return { arn: arn ?? '', ...revisionOf(arn) };
}

async function part<T>(read: () => Promise<T>): Promise<Part<T>> {
  try {
    return await read();
  } catch (error) {
    return { error: error instanceof OperationError ? error.message : firstLine(String((error as Error)?.message ?? error)) };
  }
}

/** Reads everything the report shows. Throws (one line) only when the account is wrong or the service is not there. */
export async function readStatus(clients: Clients, target: OperationTarget, now = new Date()): Promise<StatusReport> {
  const account = await checkAccount(clients, target);
  const service = await describeService(clients, target);
  const revisions = new Map<string, Promise<TaskDefinition>>();
  const revision = (arn: string) => {
    if (!revisions.has(arn)) revisions.set(arn, describeTaskDefinition(clients, arn));
    return revisions.get(arn)!;
  };
  const [deployments, tasks, stoppedTasks, url, workingHoursCapacity, preview, lastBuild] = await Promise.all([
    part(() => readDeployments(service, target, revision)),
    part(async () => (await serviceTasks(clients, target, 'RUNNING')).map((task): TaskStatus => ({
      id: idOf(task.taskArn),
      lastStatus: task.lastStatus,
      healthStatus: task.healthStatus,
      taskDefinition: ref(task.taskDefinitionArn),
      privateIp: privateIpOf(task),
      availabilityZone: task.availabilityZone,
      capacityProvider: task.capacityProviderName ?? task.launchType,
      startedAt: iso(task.startedAt),
    }))),
    part(async () => (await serviceTasks(clients, target, 'STOPPED'))
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
      .slice(0, STOPPED_SHOWN)
      .map((task): StoppedTask => ({
        id: idOf(task.taskArn),
        taskDefinition: ref(task.taskDefinitionArn),
        stoppedAt: iso(task.stoppedAt),
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason || undefined,
        containers: (task.containers ?? []).map((container) => ({ name: container.name, exitCode: container.exitCode, reason: container.reason })),
      }))),
    part(() => readUrl(clients, target)),
    target.schedule ? part(() => readCapacity(clients, target)) : Promise.resolve(undefined),
    target.preview ? part(() => readPreview(clients, target, now)) : Promise.resolve(undefined),
    target.buildProject ? part(() => readLastBuild(clients, target)) : Promise.resolve(undefined),
  ]);
  const targets = await part(() => readTargets(clients, target, service, isUnreadable(tasks) ? [] : tasks));
  const schedule = target.schedule;
  const scheduled = schedule && workingHoursAt(schedule, now);
  return {
    stack: target.stack,
    file: target.file,
    region: target.region,
    account,
    checkedAt: now.toISOString(),
    host: target.host,
    url,
    access: target.access,
    service: {
      name: service.serviceName ?? target.service,
      cluster: target.cluster,
      status: service.status,
      desired: service.desiredCount ?? 0,
      running: service.runningCount ?? 0,
      pending: service.pendingCount ?? 0,
      taskDefinition: ref(service.taskDefinition),
      launch: service.capacityProviderStrategy?.length
        ? service.capacityProviderStrategy.map((item) => `${item.capacityProvider}${item.base ? ` base ${item.base}` : ''} weight ${item.weight ?? 0}`).join(', ')
        : service.launchType,
      tags: Object.fromEntries((service.tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? ''])),
    },
    deployments,
    tasks,
    stoppedTasks,
    targets,
    workingHours: schedule && scheduled && {
      timezone: schedule.timezone,
      wake: schedule.wake,
      sleep: schedule.sleep,
      state: scheduled.state,
      since: iso(scheduled.since),
      next: scheduled.next && { action: scheduled.next.action, at: scheduled.next.at.toISOString() },
      capacity: workingHoursCapacity!,
    },
    preview,
    lastBuild,
    events: (service.events ?? []).slice(0, EVENTS_SHOWN).map((event) => ({ createdAt: iso(event.createdAt), message: event.message })),
  };
}

/** An image's tag as people name builds (`stg.1733…`); a digest-pinned image is its digest's start, an untagged one `latest`. */
export function imageTagOf(image: string): string {
  const tag = splitImage(image).tag;
  if (tag !== undefined) return tag;
  const digest = /@(sha256:[a-f0-9]{12})[a-f0-9]{52}$/.exec(image)?.[1];
  return digest ? `${digest}…` : 'latest';
}

async function readDeployments(service: Service, target: OperationTarget, revision: (arn: string) => Promise<TaskDefinition>): Promise<DeploymentStatus[]> {
  return Promise.all(
    (service.deployments ?? []).map(async (deployment): Promise<DeploymentStatus> => {
      let image: { image?: string; imageTag?: string; imageError?: string } = {};
      if (deployment.taskDefinition) {
        try {
          const found = imageOf(await revision(deployment.taskDefinition), target.container);
          image = { image: found, imageTag: found === undefined ? undefined : imageTagOf(found) };
        } catch (error) {
          image = { imageError: (error as Error).message };
        }
      }
      return {
        id: deployment.id ?? '',
        status: deployment.status ?? '',
        rolloutState: deployment.rolloutState,
        rolloutStateReason: deployment.rolloutStateReason,
        taskDefinition: ref(deployment.taskDefinition),
        ...image,
        desired: deployment.desiredCount ?? 0,
        running: deployment.runningCount ?? 0,
        pending: deployment.pendingCount ?? 0,
        failedTasks: deployment.failedTasks ?? 0,
        createdAt: iso(deployment.createdAt),
        updatedAt: iso(deployment.updatedAt),
      };
    }),
  );
}

/** Target health of the service's target groups (its load balancer entries; else the file's target group by name), each target matched to a task by IP. */
async function readTargets(clients: Clients, target: OperationTarget, service: Service, tasks: readonly TaskStatus[]): Promise<TargetStatus[]> {
  let groups = (service.loadBalancers ?? []).map((entry) => entry.targetGroupArn).filter((arn): arn is string => Boolean(arn));
  if (groups.length === 0) {
    const described = await send<DescribeTargetGroupsCommandOutput>(clients.elb, new sdk.elb.DescribeTargetGroupsCommand({ Names: [target.targetGroup] }));
    groups = (described.TargetGroups ?? []).map((group) => group.TargetGroupArn!).filter(Boolean);
  }
  const byIp = new Map(tasks.filter((task) => task.privateIp).map((task) => [task.privateIp!, task.id]));
  const health = await Promise.all(groups.map((arn) => send<DescribeTargetHealthCommandOutput>(clients.elb, new sdk.elb.DescribeTargetHealthCommand({ TargetGroupArn: arn }))));
  return health.flatMap((answer) =>
    (answer.TargetHealthDescriptions ?? []).map((description): TargetStatus => ({
      id: description.Target?.Id ?? '',
      port: description.Target?.Port,
      state: description.TargetHealth?.State,
      reason: description.TargetHealth?.Reason,
      description: description.TargetHealth?.Description,
      taskId: byIp.get(description.Target?.Id ?? ''),
    })),
  );
}

/** The URL, from the listener's protocol and port (a listener not readable here, e.g. in another account, is that part's error). */
async function readUrl(clients: Clients, target: OperationTarget): Promise<{ url: string; protocol?: string; port?: number }> {
  let listener;
  if (target.listener.arn) {
    listener = (await send<DescribeListenersCommandOutput>(clients.elb, new sdk.elb.DescribeListenersCommand({ ListenerArns: [target.listener.arn] }))).Listeners?.[0];
  } else if (target.listener.loadBalancer) {
    const { name, port } = target.listener.loadBalancer;
    const balancer = (await send<DescribeLoadBalancersCommandOutput>(clients.elb, new sdk.elb.DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0];
    const listeners = balancer?.LoadBalancerArn
      ? (await send<DescribeListenersCommandOutput>(clients.elb, new sdk.elb.DescribeListenersCommand({ LoadBalancerArn: balancer.LoadBalancerArn }))).Listeners ?? []
      : [];
    listener = listeners.find((candidate) => candidate.Port === port);
  }
  if (!listener) throw new OperationError('the listener was not found');
  const protocol = listener.Protocol === 'HTTP' ? 'http' : 'https';
  const defaultPort = protocol === 'http' ? 80 : 443;
  return { url: `${protocol}://${target.host}${listener.Port && listener.Port !== defaultPort ? `:${listener.Port}` : ''}`, protocol: listener.Protocol, port: listener.Port };
}

async function readCapacity(clients: Clients, target: OperationTarget): Promise<{ min?: number; max?: number }> {
  const answer = await send<DescribeScalableTargetsCommandOutput>(
    clients.autoscaling,
    new sdk.autoscaling.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [ecsServiceResourceId(target.cluster, target.service)], ScalableDimension: ECS_DESIRED_COUNT }),
  );
  const scalable = answer.ScalableTargets?.[0];
  if (!scalable) throw new OperationError('no scalable target: the working hours were not applied');
  return { min: scalable.MinCapacity, max: scalable.MaxCapacity };
}

/** The preview's state object's age (what the reaper reads) and its closed marker. */
async function readPreview(clients: Clients, target: OperationTarget, now: Date): Promise<PreviewStatus> {
  const preview = target.preview!;
  const head = async (key: string) => {
    try {
      return await send<HeadObjectCommandOutput>(clients.s3, new sdk.s3.HeadObjectCommand({ Bucket: preview.stateBucket, Key: key }));
    } catch (error) {
      if (error instanceof AwsCallError && (error.code === 'NotFound' || error.status === 404)) return undefined;
      throw error;
    }
  };
  const [state, closed] = await Promise.all([head(preview.stateKey), head(preview.closedKey)]);
  const lastDeploy = state?.LastModified;
  const left = lastDeploy && previewTimeLeft(lastDeploy, preview.ttlDays, now);
  return {
    number: preview.number,
    ttlDays: preview.ttlDays,
    lastDeploy: iso(lastDeploy),
    expiresAt: left ? left.expiresAt.toISOString() : undefined,
    leftSeconds: left ? left.leftSeconds : undefined,
    closed: closed !== undefined,
  };
}

/** The newest build of the deploying project (for a preview: the newest of its pull request, `pr/<n>`). */
async function readLastBuild(clients: Clients, target: OperationTarget): Promise<BuildStatus | null> {
  const project = target.buildProject!;
  const listed = await send<ListBuildsForProjectCommandOutput>(clients.codebuild, new sdk.codebuild.ListBuildsForProjectCommand({ projectName: project, sortOrder: 'DESCENDING' }));
  const ids = (listed.ids ?? []).slice(0, 20);
  if (ids.length === 0) return null;
  const builds = (await send<BatchGetBuildsCommandOutput>(clients.codebuild, new sdk.codebuild.BatchGetBuildsCommand({ ids }))).builds ?? [];
  const ours = builds
    .filter((build) => !target.preview || build.sourceVersion === `pr/${target.preview.number}`)
    .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));
  const build = ours[0];
  if (!build) return null;
  return {
    project,
    id: build.id,
    status: build.buildStatus,
    phase: build.currentPhase,
    sourceVersion: build.resolvedSourceVersion ?? build.sourceVersion,
    startTime: iso(build.startTime),
    endTime: iso(build.endTime),
  };
}
