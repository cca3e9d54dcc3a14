/** Amazon ECS on Fargate: task sizes, names, images and environment variables. */

// ECS task definition parameters, "Task size": the Fargate CPU → memory (MiB) combinations.
const range = (from: number, to: number, step: number) =>
  Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Whether Fargate offers this CPU/memory pair. */
export function isFargateSize(cpu: number, memory: number): boolean {
  return FARGATE_MEMORY_BY_CPU[cpu]?.includes(memory) ?? false;
}

/** A readable list of the memory sizes for a CPU value, e.g. "1024–4096 in steps of 1024". */
export function describeFargateMemory(cpu: number): string {
  const sizes = FARGATE_MEMORY_BY_CPU[cpu];
  if (!sizes) return `cpu must be one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`;
  if (sizes.length <= 3) return sizes.join(', ');
  return `${sizes[0]}–${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

// ECS RegisterTaskDefinition / CreateCluster: family, container and cluster names are up to 255 letters, digits, hyphens and underscores.
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

// Docker image reference grammar (distribution/reference): [registry[:port]/]path[:tag][@sha256:digest].
export const IMAGE = /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
// ECS ContainerDefinition, image: up to 255 characters.
export const IMAGE_MAX_LENGTH = 255;

// POSIX shell / ECS: environment variable names are letters, digits and underscores, not starting with a digit.
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ECS API Reference, CapacityProviderStrategyItem: "FARGATE_SPOT supports Linux tasks with the X86_64
// architecture on platform version 1.3.0 or later [and] with the ARM64 architecture on platform version
// 1.4.0 or later". The kit sets no platform version, so Fargate runs LATEST (1.4.0): both run on Spot.
// ECS ContainerDefinition, stopTimeout: on Fargate 2–120 s (30 s when unset). Fargate Spot sends
// SIGTERM two minutes before it reclaims a task, so a container that needs longer is killed mid-drain.
export const STOP_TIMEOUT = { min: 2, max: 120, spotWarning: 120 } as const;

// ECS CapacityProviderStrategyItem: base 0–100000, weight 0–1000.
export const CAPACITY_STRATEGY = { maxBase: 100_000, maxWeight: 1000 } as const;

/** One item of an ECS capacity provider strategy. */
export interface CapacityProviderItem {
  readonly capacityProvider: 'FARGATE' | 'FARGATE_SPOT';
  /** Tasks that run on this provider before the weights apply. */
  readonly base?: number;
  readonly weight: number;
}

/**
 * The share of tasks on Fargate Spot, for `count` tasks, under a strategy (`undefined`: the
 * FARGATE launch type). The base fills first, then the weights split the rest.
 */
export function spotTasks(strategy: readonly CapacityProviderItem[] | undefined, count: number): number {
  if (!strategy) return 0;
  const base = strategy.reduce((sum, item) => sum + (item.base ?? 0), 0);
  const baseSpot = strategy.filter((item) => item.capacityProvider === 'FARGATE_SPOT').reduce((sum, item) => sum + (item.base ?? 0), 0);
  const rest = Math.max(0, count - base);
  const weights = strategy.reduce((sum, item) => sum + item.weight, 0);
  const spotWeight = strategy.filter((item) => item.capacityProvider === 'FARGATE_SPOT').reduce((sum, item) => sum + item.weight, 0);
  return Math.min(count, baseSpot) + (weights === 0 ? 0 : (rest * spotWeight) / weights);
}
