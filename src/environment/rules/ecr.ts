import { DOCKER_TAG, REPOSITORY_NAME } from '../../aws/ecr';
import { integerAtLeast, stringRule } from './rule';

// ECR CreateRepository, repositoryName: 2–256 characters.
export const repositoryName = stringRule(
  'must be 2–256 lowercase letters, digits and . _ - / (ECR repository name)',
  (v) => v.length >= 2 && v.length <= 256 && REPOSITORY_NAME.test(v),
  new RegExp(`^(?=.{2,256}$)${REPOSITORY_NAME.source.slice(1)}`),
);

// ECR lifecycle policy, tagPrefixList: non-empty prefixes of a valid Docker tag (a tag's own grammar):
// "-stg" or ".stg" would match no tag.
export const tagPrefix = stringRule('must be 1–128 letters, digits, "_", "." or "-", starting with a letter, digit or "_" (as every Docker tag does)', (v) => DOCKER_TAG.test(v), DOCKER_TAG);

// ECR lifecycle policy, countNumber: an integer of at least 1.
export const keepImages = () => integerAtLeast(1);
