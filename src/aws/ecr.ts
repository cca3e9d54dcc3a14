/** Amazon ECR: repository names, registry URLs, image tags. */

// ECR CreateRepository, repositoryName: 2–256 characters matching (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*.
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

// Amazon ECR User Guide, "Private registry": <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>.
// Groups: registry host, account, region, repository.
export const ECR_REPOSITORY_URL = new RegExp(`^((\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?)\\/(${REPOSITORY_NAME.source.slice(1, -1)})$`);

// A Docker tag (distribution/reference): up to 128 of [\w.-], starting with a letter, digit or "_".
export const DOCKER_TAG = /^\w[\w.-]{0,127}$/;

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
  if (!match || (tag !== undefined && !DOCKER_TAG.test(tag))) return undefined;
  return { registry: match[1], account: match[2], region: match[3], repository: match[4], tag };
}
