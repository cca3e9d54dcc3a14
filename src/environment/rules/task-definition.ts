import { describeFargateMemory, ECS_NAME, FARGATE_MEMORY_BY_CPU, IMAGE, IMAGE_MAX_LENGTH, isFargateSize } from '../../aws/ecs';
import { LOG_GROUP_NAME } from '../../aws/logs';
import { Finding, referenceRule, stringRule } from './rule';

export const ecsName = stringRule('must be 1–255 letters, digits, hyphens or underscores', (v) => ECS_NAME.test(v), ECS_NAME);

export const image = referenceRule(
  'must be an image reference of at most 255 characters, like <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>',
  (v) => v.length <= IMAGE_MAX_LENGTH && IMAGE.test(v),
  new RegExp(`^(?=.{1,${IMAGE_MAX_LENGTH}}$)${IMAGE.source.slice(1)}`),
);

export const logGroupName = stringRule('must be 1–512 letters, digits or . - _ / #', (v) => LOG_GROUP_NAME.test(v), LOG_GROUP_NAME);

/**
 * ECS Developer Guide, "Task size": only the documented Fargate CPU/memory pairs run. The finding
 * names the CPU when Fargate has no such CPU, else the memory; `at` gives the fields' paths.
 */
export function fargateSizeFindings(cpu: number, memory: number, at: { readonly cpu: string[]; readonly memory: string[] }): Finding[] {
  if (isFargateSize(cpu, memory)) return [];
  if (FARGATE_MEMORY_BY_CPU[cpu] === undefined) {
    return [{ path: at.cpu, message: `must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ').replace(/, (\d+)$/, ' or $1')}`, value: cpu }];
  }
  return [{ path: at.memory, message: `must be a Fargate memory size for cpu ${cpu}: ${describeFargateMemory(cpu)}`, value: memory }];
}
