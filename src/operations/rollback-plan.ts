/**
 * `npm run rollback`'s decisions, pure: which revision to go back to, whether a rollout is done, failed
 * or still going, and how long to wait between two looks.
 */

/** Where a revision's image stands in ECR. */
export type ImageState =
  /** In the repository; `digest` is what the tag points at now. */
  | { readonly kind: 'present'; readonly digest?: string }
  /** Expired by the lifecycle policy, or deleted. */
  | { readonly kind: 'missing' }
  /** Not an ECR image (Docker Hub, another registry): not checked. */
  | { readonly kind: 'not-ecr' };

export interface Candidate {
  readonly revision: number;
  readonly arn: string;
  readonly image?: string;
  readonly imageState: ImageState;
}

export type Choice = { readonly target: Candidate } | { readonly refusal: string };

/** How many earlier revisions are looked at: the lifecycle keeps a few images, so older ones have none. */
export const CANDIDATES_CHECKED = 10;

function imageWords(candidate: Candidate): string {
  return candidate.image ?? 'no image';
}

/**
 * The newest earlier ACTIVE revision whose image is still in ECR and is not the image running now (a
 * revision naming the same mutable tag, `stg`, would change nothing). `earlier` is newest first.
 */
export function choosePrevious(family: string, current: { readonly revision: number; readonly digest?: string }, earlier: readonly Candidate[]): Choice {
  const skipped: string[] = [];
  for (const candidate of earlier.slice(0, CANDIDATES_CHECKED)) {
    const state = candidate.imageState;
    if (state.kind === 'missing') {
      skipped.push(`:${candidate.revision} (${imageWords(candidate)} is no longer in ECR)`);
    } else if (state.kind === 'present' && state.digest !== undefined && state.digest === current.digest) {
      skipped.push(`:${candidate.revision} (${imageWords(candidate)} is the image running now, ${state.digest.slice(0, 19)}…)`);
    } else {
      return { target: candidate };
    }
  }
  if (earlier.length === 0) return { refusal: `no ACTIVE revision of ${family} before :${current.revision}, so there is nothing to roll back to` };
  return {
    refusal: `no earlier ACTIVE revision of ${family} runs another image that is still in ECR: ${skipped.join(', ')}; to go back to an older build, run its CodeBuild build again or revert the change`,
  };
}

/** `--to REVISION`: refused when it is the current one, not ACTIVE, or its image is gone. */
export function chooseRevision(family: string, current: { readonly revision: number }, wanted: Candidate & { readonly status?: string }): Choice {
  if (wanted.revision === current.revision) return { refusal: `the service already runs ${family}:${wanted.revision}` };
  if (wanted.status !== undefined && wanted.status !== 'ACTIVE') return { refusal: `${family}:${wanted.revision} is ${wanted.status} (deregistered): ECS starts no new task from it` };
  if (wanted.imageState.kind === 'missing') return { refusal: `${family}:${wanted.revision} runs ${imageWords(wanted)}, which is no longer in ECR (the lifecycle policy expired it, or it was deleted)` };
  return { target: wanted };
}

/** What DescribeServices says of the service, as the wait reads it. */
export interface ServiceSnapshot {
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly deployments?: readonly {
    readonly id?: string;
    readonly status?: string;
    readonly taskDefinition?: string;
    readonly rolloutState?: string;
    readonly rolloutStateReason?: string;
    readonly runningCount?: number;
    readonly desiredCount?: number;
    readonly failedTasks?: number;
  }[];
}

export type Verdict =
  | { readonly state: 'completed'; readonly summary: string }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'waiting'; readonly summary: string };

/**
 * The rollout to `target` (a revision ARN), judged from one DescribeServices answer: failed when the
 * PRIMARY deployment is not on the target (the circuit breaker rolled it back, or another deploy came)
 * or its rollout is FAILED; completed when it is COMPLETED and alone (or, without a rollout state, when
 * it is alone and runs the desired count).
 */
export function judgeRollout(service: ServiceSnapshot, target: string, revisionName: (arn: string | undefined) => string): Verdict {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
  if (!primary) return { state: 'waiting', summary: 'no PRIMARY deployment yet' };
  const counts = `${primary.runningCount ?? 0}/${primary.desiredCount ?? service.desiredCount ?? 0} running, ${primary.failedTasks ?? 0} failed`;
  if (primary.taskDefinition !== target) {
    return { state: 'failed', reason: `the PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${revisionName(target)}: the circuit breaker rolled the rollout back, or another deploy replaced it${primary.rolloutStateReason ? ` (${primary.rolloutStateReason})` : ''}` };
  }
  if (primary.rolloutState === 'FAILED') return { state: 'failed', reason: `the rollout to ${revisionName(target)} FAILED: ${primary.rolloutStateReason ?? 'no reason given'} (${counts})` };
  const alone = deployments.length === 1;
  if (primary.rolloutState === 'COMPLETED' && alone) return { state: 'completed', summary: `COMPLETED, ${counts}` };
  if (primary.rolloutState === undefined && alone && (primary.runningCount ?? 0) === (primary.desiredCount ?? service.desiredCount ?? 0)) return { state: 'completed', summary: `steady, ${counts}` };
  return { state: 'waiting', summary: `${primary.rolloutState ?? 'in progress'}, ${counts}${alone ? '' : `, ${deployments.length - 1} older deployment(s) draining`}` };
}

/** The wait between two looks: 2 s, doubling, never more than `maxDelay` (the SDK waiter's own maximum is 600 s). */
export function pollDelay(attempt: number, maxDelaySeconds: number, minDelaySeconds = 2): number {
  return Math.min(maxDelaySeconds, minDelaySeconds * 2 ** Math.min(attempt, 10)) * 1000;
}

/** The wait's bounds: the file's pipeline.waitTimeoutSeconds, polled at most every 15 s. */
export const ROLLOUT_MAX_DELAY_SECONDS = 15;
