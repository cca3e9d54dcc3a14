/**
 * `npm run rollback`: the service back on its previous ACTIVE revision whose image is still in ECR (or on
 * `--to REVISION`), then a wait, with its own bounded delay, until the PRIMARY deployment has completed on
 * that revision. A rollout that fails, or that the circuit breaker turns back, fails the command.
 */
import type { DescribeImagesCommandOutput } from '@aws-sdk/client-ecr';
import type { DescribeServicesCommandOutput, ListTaskDefinitionsCommandOutput, Service, TaskDefinition, UpdateServiceCommandOutput } from '@aws-sdk/client-ecs';
import { parseEcrImage } from '../aws/ecr';
import { Clients, send } from './clients';
import { checkAccount, describeService, describeTaskDefinition, imageOf, revisionOf } from './ecs';
import { AwsCallError, OperationError } from './errors';
import { Candidate, CANDIDATES_CHECKED, choosePrevious, chooseRevision, ImageState, judgeRollout, pollDelay, ROLLOUT_MAX_DELAY_SECONDS } from './rollback-plan';
import { sdk } from './sdk';
import type { OperationTarget } from './target';

export interface RollbackOptions {
  /** `--to REVISION`. */
  readonly to?: number;
  /** How long the rollout may take; default the file's pipeline.waitTimeoutSeconds (600 s). */
  readonly timeoutSeconds?: number;
}

export interface RollbackRuntime {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const revisionName = (arn: string | undefined) => {
  const parsed = revisionOf(arn);
  return parsed ? `${parsed.family}:${parsed.revision}` : arn ?? '?';
};

/** Where an image stands in ECR: its digest when present; missing when the tag (or digest) or the repository is gone. */
export async function imageState(clients: Clients, image: string | undefined): Promise<ImageState> {
  const ecr = image === undefined ? undefined : parseEcrImage(image);
  if (!ecr || image === undefined) return { kind: 'not-ecr' };
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
  try {
    const answer = await send<DescribeImagesCommandOutput>(
      clients.ecr,
      new sdk.ecr.DescribeImagesCommand({ registryId: ecr.account, repositoryName: ecr.repository, imageIds: [digest ? { imageDigest: digest } : { imageTag: ecr.tag ?? 'latest' }] }),
    );
    const found = answer.imageDetails?.[0];
    return found ? { kind: 'present', digest: found.imageDigest } : { kind: 'missing' };
  } catch (error) {
    if (error instanceof AwsCallError && (error.code === 'ImageNotFoundException' || error.code === 'RepositoryNotFoundException')) return { kind: 'missing' };
    throw error;
  }
}

async function candidateOf(clients: Clients, target: OperationTarget, definition: TaskDefinition): Promise<Candidate & { status?: string }> {
  const image = imageOf(definition, target.container);
  return { revision: definition.revision ?? 0, arn: definition.taskDefinitionArn ?? '', image, imageState: await imageState(clients, image), status: definition.status };
}

/** The family's ACTIVE revisions before `current`, newest first (ListTaskDefinitions' familyPrefix is a prefix: `stg-server` also lists `stg-server-pr-7`). */
async function earlierRevisions(clients: Clients, family: string, current: number): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send<ListTaskDefinitionsCommandOutput>(clients.ecs, new sdk.ecs.ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', nextToken }));
    arns.push(...(page.taskDefinitionArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns
    .map((arn) => ({ arn, parsed: revisionOf(arn) }))
    .filter(({ parsed }) => parsed?.family === family && parsed.revision < current)
    .sort((a, b) => b.parsed!.revision - a.parsed!.revision)
    .map(({ arn }) => arn);
}

/** The revision the service runs: its task definition, resolved to a revision ARN. */
async function currentRevision(clients: Clients, service: Service): Promise<TaskDefinition> {
  if (!service.taskDefinition) throw new OperationError(`the service ${service.serviceName} names no task definition`);
  return describeTaskDefinition(clients, service.taskDefinition);
}

/**
 * Rolls back and waits. `say` gets each line of progress; a refusal, a failed or turned-back rollout, or
 * a timeout throws one line (exit 1).
 */
export async function rollback(clients: Clients, target: OperationTarget, options: RollbackOptions, say: (line: string) => void, runtime: RollbackRuntime): Promise<void> {
  await checkAccount(clients, target);
  const service = await describeService(clients, target);
  const current = await currentRevision(clients, service);
  const family = current.family ?? target.family;
  const currentRevisionNumber = current.revision ?? 0;
  const currentImage = imageOf(current, target.container);
  const currentState = await imageState(clients, currentImage);
  const currentDigest = currentState.kind === 'present' ? currentState.digest : undefined;

  let choice;
  if (options.to !== undefined) {
    let wanted: TaskDefinition;
    try {
      wanted = await describeTaskDefinition(clients, `${family}:${options.to}`);
    } catch (error) {
      if (error instanceof AwsCallError && /ClientException|InvalidParameter|NotFound/.test(error.code)) throw new OperationError(`refusing to roll back ${target.stack}: there is no revision ${family}:${options.to} (${error.message})`);
      throw error;
    }
    choice = chooseRevision(family, { revision: currentRevisionNumber }, await candidateOf(clients, target, wanted));
  } else {
    const earlier: Candidate[] = [];
    for (const arn of (await earlierRevisions(clients, family, currentRevisionNumber)).slice(0, CANDIDATES_CHECKED)) {
      const candidate = await candidateOf(clients, target, await describeTaskDefinition(clients, arn));
      earlier.push(candidate);
      // the first one that qualifies is the one: no need to look further back
      if ('target' in choosePrevious(family, { revision: currentRevisionNumber, digest: currentDigest }, [candidate])) break;
    }
    choice = choosePrevious(family, { revision: currentRevisionNumber, digest: currentDigest }, earlier);
  }
  if ('refusal' in choice) throw new OperationError(`refusing to roll back ${target.stack}: ${choice.refusal}`);
  const chosen = choice.target;
  const state = chosen.imageState;
  const imageNote = state.kind === 'not-ecr' ? ', not an ECR image: not checked' : state.kind === 'present' && state.digest ? `, ${state.digest.slice(0, 19)}…` : '';
  say(`${target.stack}: ${family}:${currentRevisionNumber} (${currentImage ?? 'no image'}) → ${family}:${chosen.revision} (${chosen.image ?? 'no image'}${imageNote})`);

  const updated = await send<UpdateServiceCommandOutput>(clients.ecs, new sdk.ecs.UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: chosen.arn }));
  const timeout = options.timeoutSeconds ?? target.waitTimeoutSeconds;
  say(`waiting for the rollout (at most ${timeout} s, a look every ${pollDelay(0, ROLLOUT_MAX_DELAY_SECONDS) / 1000}–${ROLLOUT_MAX_DELAY_SECONDS} s)`);
  const started = runtime.now();
  let snapshot: Service | undefined = updated.service;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    if (snapshot) {
      const verdict = judgeRollout(snapshot, chosen.arn, revisionName);
      const elapsed = Math.round((runtime.now() - started) / 1000);
      if (verdict.state === 'failed') throw new OperationError(`rollback of ${target.stack} failed after ${elapsed} s: ${verdict.reason}`);
      if (verdict.state === 'completed') {
        say(`${target.stack}: on ${family}:${chosen.revision}, rollout ${verdict.summary}, after ${elapsed} s`);
        if (chosen.revision < currentRevisionNumber) say(`note: the next deploy moves the service to the family's newest revision again (${family}:${currentRevisionNumber} or later)`);
        return;
      }
      if (verdict.summary !== last) say(`  ${elapsed} s: ${verdict.summary}`);
      last = verdict.summary;
    }
    const delay = pollDelay(attempt, ROLLOUT_MAX_DELAY_SECONDS);
    if (runtime.now() - started + delay > timeout * 1000) {
      throw new OperationError(`rollback of ${target.stack}: the rollout to ${family}:${chosen.revision} did not complete within ${timeout} s (${last || 'no answer'}); the service is on it and ECS goes on trying: npm run status -- ${target.stack}`);
    }
    await runtime.sleep(delay);
    const answer = await send<DescribeServicesCommandOutput>(clients.ecs, new sdk.ecs.DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }));
    snapshot = answer.services?.[0];
  }
}
