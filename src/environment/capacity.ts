import { CapacityProviderItem } from '../aws/ecs';
import type { EnvironmentConfig } from './schema';

/** A capacity as a file writes it: `"FARGATE"`, `"FARGATE_SPOT"` or a strategy object. */
export type Capacity = EnvironmentConfig['service']['capacity'];
/** Working hours as a file writes them. */
export type Schedule = NonNullable<EnvironmentConfig['service']['schedule']>;

/** The ECS capacity provider strategy of a capacity; undefined for `"FARGATE"`, the launch type (the article). */
export function capacityStrategy(capacity: Capacity): CapacityProviderItem[] | undefined {
  if (capacity === 'FARGATE') return undefined;
  if (capacity === 'FARGATE_SPOT') return [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
  return [
    { capacityProvider: 'FARGATE', base: capacity.base, weight: capacity.fargateWeight },
    { capacityProvider: 'FARGATE_SPOT', weight: capacity.spotWeight },
  ];
}

/** A preview's capacity (its default, Fargate Spot, is the schema's). */
export function previewCapacity(config: EnvironmentConfig): Capacity {
  return config.previews?.capacity ?? 'FARGATE_SPOT';
}

/** A preview's working hours: as written, else staging's. */
export function previewSchedule(config: EnvironmentConfig): Schedule | undefined {
  return config.previews?.schedule ?? config.service.schedule;
}

/** The capacity providers the staging cluster must offer: for staging's strategy and its previews'. */
export function clusterCapacityProviders(config: EnvironmentConfig): ('FARGATE' | 'FARGATE_SPOT')[] | undefined {
  const strategies = [capacityStrategy(config.service.capacity), config.previews ? capacityStrategy(previewCapacity(config)) : undefined];
  if (strategies.every((strategy) => strategy === undefined)) return undefined;
  // both, always: a strategy may name either, and FARGATE keeps launch-type services running
  return ['FARGATE', 'FARGATE_SPOT'];
}
