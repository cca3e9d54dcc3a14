import { chunkCidrs } from '../aws/elb';
import { CapacityProviderItem } from '../aws/ecs';
import { capacityStrategy, previewCapacity, previewSchedule, Schedule } from './capacity';
import { createdNames } from './names';
import type { EnvironmentConfig } from './schema';

/** An environment file with a `previews` section: the template of its pull requests' previews. */
export type PreviewsConfig = NonNullable<EnvironmentConfig['previews']>;

/** The placeholder of `previews.hostPattern`. */
export const NUMBER_PLACEHOLDER = '{number}';

/** The largest pull request number the names are checked with (GitHub numbers stay far below). */
export const LARGEST_PULL_REQUEST = 999_999_999;

/** Listener rules one environment's previews take each: its allowlist spread as staging's is. */
export function rulesPerPreview(config: EnvironmentConfig): number {
  const access = config.listenerRule.access;
  return chunkCidrs(access?.sourceIps ?? [], access?.httpHeader !== undefined).length;
}

/** The host pattern, resolved: `pr-{number}.<hostHeader>` unless written. */
export function hostPattern(config: EnvironmentConfig): string {
  return config.previews?.hostPattern ?? `pr-${NUMBER_PLACEHOLDER}.${config.listenerRule.hostHeader}`;
}

/** The priorities the previews' band reserves: `maxOpen` slots of `rulesPerPreview` consecutive priorities. */
export function previewBand(config: EnvironmentConfig): { first: number; last: number } | undefined {
  const previews = config.previews;
  if (!previews) return undefined;
  return { first: previews.priorityBase, last: previews.priorityBase + previews.maxOpen * rulesPerPreview(config) - 1 };
}

/** Everything one pull request's preview is, derived once from the file and the number. */
export interface ResolvedPreview {
  /** The environment (staging stack) it is made from. */
  readonly environment: string;
  readonly number: number;
  /** `<environment>-pr-<number>`. */
  readonly stack: string;
  readonly host: string;
  /** `number mod maxOpen`: two open previews with the same slot collide (found at synth, or before apply). */
  readonly slot: number;
  /** Its listener rules' priorities, consecutive from its slot's first. */
  readonly priorities: readonly number[];
  readonly family: string;
  readonly service: string;
  /** At most 32 characters (ELBv2), starting with `pr-<number>-`, so it is unique per pull request. */
  readonly targetGroup: string;
  readonly logGroup: string;
  /** The image tag the build pushes; the build also pushes `<tag>.<epoch>` and deploys that one. */
  readonly imageTag: string;
  /** Its own state object, so previews never contend and destroying one cannot touch another. */
  readonly stateKey: string;
  /** Where the reaper and the build look for the previews' states. */
  readonly statePrefix: string;
  /** Its capacity provider strategy (default Fargate Spot), or undefined for the FARGATE launch type. */
  readonly capacityProviderStrategy?: CapacityProviderItem[];
  /** Its working hours (default: staging's), or undefined for always on. */
  readonly schedule?: Schedule;
}

/** The state key prefix of an environment's previews. */
export function previewStatePrefix(environment: string): string {
  return `previews/${environment}`;
}

export function resolvePreview(environment: string, config: EnvironmentConfig, number: number): ResolvedPreview {
  const previews = config.previews;
  if (!previews) throw new Error(`${environment} has no previews section`);
  const names = createdNames(config);
  const rules = rulesPerPreview(config);
  const slot = number % previews.maxOpen;
  const first = previews.priorityBase + slot * rules;
  const suffix = `-pr-${number}`;
  const targetGroup = `pr-${number}-${names.targetGroup}`.slice(0, 32).replace(/-+$/, '');
  return {
    environment,
    number,
    stack: `${environment}${suffix}`,
    host: hostPattern(config).replace(NUMBER_PLACEHOLDER, String(number)),
    slot,
    priorities: Array.from({ length: rules }, (_, index) => first + index),
    family: `${names.family}${suffix}`,
    service: `${names.service}${suffix}`,
    targetGroup,
    logGroup: `${names.logGroup}/pr-${number}`,
    imageTag: `pr-${number}`,
    stateKey: `${previewStatePrefix(environment)}/pr-${number}.tfstate`,
    statePrefix: previewStatePrefix(environment),
    capacityProviderStrategy: capacityStrategy(previewCapacity(config)),
    schedule: previewSchedule(config),
  };
}

/**
 * Open previews that would take one slot: `[a, b]` pairs of pull request numbers. With the band's
 * size chosen for the open PRs, numbers collide only when they are `maxOpen` apart.
 */
export function slotCollisions(config: EnvironmentConfig, numbers: readonly number[]): [number, number][] {
  const maxOpen = config.previews?.maxOpen ?? 1;
  const bySlot = new Map<number, number>();
  const collisions: [number, number][] = [];
  for (const number of numbers) {
    const holder = bySlot.get(number % maxOpen);
    if (holder === undefined) bySlot.set(number % maxOpen, number);
    else collisions.push([holder, number]);
  }
  return collisions;
}
