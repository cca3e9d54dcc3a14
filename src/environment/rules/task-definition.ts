import { ECS_NAME, IMAGE, IMAGE_MAX_LENGTH } from '../../aws/ecs';
import { LOG_GROUP_NAME } from '../../aws/logs';
import { referenceRule, stringRule } from './rule';

export const ecsName = stringRule('must be 1–255 letters, digits, hyphens or underscores', (v) => ECS_NAME.test(v), ECS_NAME);

export const image = referenceRule(
  'must be an image reference of at most 255 characters, like <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>',
  (v) => v.length <= IMAGE_MAX_LENGTH && IMAGE.test(v),
  new RegExp(`^(?=.{1,${IMAGE_MAX_LENGTH}}$)${IMAGE.source.slice(1)}`),
);

export const logGroupName = stringRule('must be 1–512 letters, digits or . - _ / #', (v) => LOG_GROUP_NAME.test(v), LOG_GROUP_NAME);
