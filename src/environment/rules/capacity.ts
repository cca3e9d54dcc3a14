import type { EnvironmentConfig } from '../schema';
import { Finding } from './rule';

type CrossFieldRule = (config: EnvironmentConfig) => Finding[];

// ECS CreateService: in a capacity provider strategy at least one provider has a weight above 0.
export const strategyHasWeight: CrossFieldRule = (config) =>
  (['service', 'previews'] as const).flatMap((section): Finding[] => {
    const capacity = config[section]?.capacity;
    if (typeof capacity !== 'object' || capacity.fargateWeight + capacity.spotWeight > 0) return [];
    return [{ path: [section, 'capacity', 'spotWeight'], message: 'must be above 0, or fargateWeight must: ECS needs one provider with a weight for the tasks beyond the base', value: capacity.spotWeight }];
  });

// A schedule scales between 0 and desiredCount; with 0 it would never wake anything.
export const scheduleWakesTasks: CrossFieldRule = (config) => {
  const { schedule, desiredCount } = config.service;
  if (!schedule) return [];
  const findings: Finding[] = [];
  if (desiredCount === 0) findings.push({ path: ['service', 'desiredCount'], message: 'must be at least 1 with a schedule: wake scales the service back to it', value: desiredCount });
  if (schedule.wake === schedule.sleep) findings.push({ path: ['service', 'schedule', 'sleep'], message: 'must differ from wake', value: schedule.sleep });
  return findings;
};

export const previewScheduleWakes: CrossFieldRule = (config) => {
  const schedule = config.previews?.schedule;
  return schedule && schedule.wake === schedule.sleep ? [{ path: ['previews', 'schedule', 'sleep'], message: 'must differ from wake', value: schedule.sleep }] : [];
};

export const CAPACITY_RULES: readonly CrossFieldRule[] = [strategyHasWeight, scheduleWakesTasks, previewScheduleWakes];
