import { partitionOf } from '../aws/iam';
import { ECR_REPOSITORY_URL, splitImage } from '../aws/ecr';
import { EnvironmentConfig } from '../environment/schema';
import { BuildspecProps } from '../pipeline/buildspec';

/**
 * The buildspec's names, taken from the same environment file as the infrastructure, with the same
 * defaults: repository, tag, region, cluster, service and family cannot drift from what Terraform builds.
 */
export function buildspecPropsFor(config: EnvironmentConfig, file: string): BuildspecProps {
  const pipeline = config.pipeline;
  return {
    repositoryUrl: repositoryUrlOf(config.taskDefinition.container.image, file),
    tagPrefix: config.ecrLifecycle.tagPrefix,
    region: config.region,
    cluster: config.cluster.name,
    service: config.service.name,
    family: config.taskDefinition.family,
    goVersionFile: pipeline?.goVersionFile,
    dockerfile: pipeline?.dockerfile,
    buildArgs: pipeline?.buildArgs,
    cachePaths: pipeline?.cachePaths,
    waitTimeoutSeconds: pipeline?.waitTimeoutSeconds,
    dockerHubSecretArn: pipeline?.dockerHubSecretArn,
    sourceEnvironmentFile: file,
  };
}

/** `<registry>/<repository>[:tag][@digest]` → `<registry>/<repository>`. */
export function repositoryUrlOf(image: string | undefined, file: string): string {
  // Without an image the stack looks the repository up at plan time; the buildspec needs it now.
  if (image === undefined || image.includes('${')) {
    throw new Error(`${file}: taskDefinition.container.image: the buildspec needs the image URL written out, like 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg`);
  }
  return splitImage(image).repositoryUrl;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>` → the repository's ARN, for IAM. */
export function repositoryArnOf(repositoryUrl: string): string {
  const match = ECR_REPOSITORY_URL.exec(repositoryUrl);
  if (!match) throw new Error(`not an ECR repository URL: ${repositoryUrl}`);
  const [, , account, region, name] = match;
  return `arn:${partitionOf(region)}:ecr:${region}:${account}:repository/${name}`;
}
