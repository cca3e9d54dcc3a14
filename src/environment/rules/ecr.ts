import { integerAtLeast, stringRule } from './rule';

// ECR CreateRepository, repositoryName: 2–256 characters matching (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*.
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const repositoryName = stringRule(
  'must be 2–256 lowercase letters, digits and . _ - / (ECR repository name)',
  (v) => v.length >= 2 && v.length <= 256 && REPOSITORY_NAME.test(v),
  REPOSITORY_NAME,
);

// ECR lifecycle policy, tagPrefixList: non-empty prefixes of a valid tag (up to 128 of [\w.-]).
export const tagPrefix = stringRule('must be 1–128 letters, digits, "_", "." or "-"', (v) => /^[\w.-]{1,128}$/.test(v), /^[\w.-]{1,128}$/);

// ECR lifecycle policy, countNumber: an integer of at least 1.
export const keepImages = () => integerAtLeast(1);
