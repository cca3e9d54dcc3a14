import { integerAtLeast, stringRule } from './rule';

// ECR CreateRepository, repositoryName: 2–256 characters matching (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*.
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const repositoryName = stringRule(
  'must be 2–256 lowercase letters, digits and . _ - / (ECR repository name)',
  (v) => v.length >= 2 && v.length <= 256 && REPOSITORY_NAME.test(v),
  new RegExp(`^(?=.{2,256}$)${REPOSITORY_NAME.source.slice(1)}`),
);

// Amazon ECR User Guide, "Private registry": <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>.
// Groups: registry host, account, region, repository.
export const ECR_REPOSITORY_URL = new RegExp(`^((\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?)\\/(${REPOSITORY_NAME.source.slice(1, -1)})$`);

/** `<registry>/<repository>[:tag][@digest]` → the repository URL and the tag (if any). */
export function splitImage(image: string): { repositoryUrl: string; tag?: string } {
  const withoutDigest = image.replace(/@sha256:[a-f0-9]{64}$/, '');
  const colon = withoutDigest.indexOf(':', withoutDigest.lastIndexOf('/') + 1);
  return colon === -1 ? { repositoryUrl: withoutDigest } : { repositoryUrl: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/** An image in an ECR repository, split into its parts; undefined when it is not one. */
export function parseEcrImage(image: string): { registry: string; account: string; region: string; repository: string; tag?: string } | undefined {
  const { repositoryUrl, tag } = splitImage(image);
  const match = ECR_REPOSITORY_URL.exec(repositoryUrl);
  // A Docker tag: up to 128 of [\w.-], not starting with "." or "-".
  if (!match || (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag))) return undefined;
  return { registry: match[1], account: match[2], region: match[3], repository: match[4], tag };
}

// ECR lifecycle policy, tagPrefixList: non-empty prefixes of a valid Docker tag, which is up to 128 of
// [\w.-] starting with a letter, digit or "_" (distribution/reference): "-stg" or ".stg" would match no tag.
const TAG_PREFIX = /^\w[\w.-]{0,127}$/;
export const tagPrefix = stringRule('must be 1–128 letters, digits, "_", "." or "-", starting with a letter, digit or "_" (as every Docker tag does)', (v) => TAG_PREFIX.test(v), TAG_PREFIX);

// ECR lifecycle policy, countNumber: an integer of at least 1.
export const keepImages = () => integerAtLeast(1);
