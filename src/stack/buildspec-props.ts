import { partitionOf } from '../aws/iam';
import { ECR_REPOSITORY_URL, splitImage } from '../aws/ecr';
import { EnvironmentConfig } from '../environment/schema';
import { BuildspecProps } from '../pipeline/buildspec';
import { SmokeTest } from '../pipeline/deploy-check';

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
    smokeTest: smokeTestFor(config),
    sourceEnvironmentFile: file,
  };
}

/** Where the build egresses from: CodeBuild without a VPC (the kit's projects) uses AWS-owned addresses. */
const NO_EGRESS_ADDRESS = 'the smoke test needs the build\'s egress address among them, but this build runs in no VPC, from AWS-owned addresses that no allowlist should hold (docs/pipeline.md, "The smoke test")';

/**
 * The deploy's smoke test, from what the listener rule admits: `GET <scheme>://<host>[:port]<health check
 * path>` through the production ALB, with the rule's header (its value from the same secret the rule
 * reads) when it has one; or why a build cannot pass the rule, said as a warning in the build log.
 *
 * - A source-IP allowlist: the kit's CodeBuild projects run in no VPC, so their address is one of
 *   CodeBuild's shared AWS-owned ranges, which no allowlist should admit (every CodeBuild customer of the
 *   region shares them). The rule's conditions are ANDed, so a header beside the allowlist does not help.
 * - An OIDC or Cognito login: the ALB answers 302 to the login page; a build cannot log in.
 * - A host pattern (allowWildcardHost), or a host known only at plan: no one host to call.
 *
 * `host` is the staging host, or `{host}` for the previews' build, which puts each preview's in its place.
 */
export function smokeTestFor(config: EnvironmentConfig, host: string = config.listenerRule.hostHeader): SmokeTest {
  const rule = config.listenerRule;
  const access = rule.access ?? {};
  const skip = (why: string): SmokeTest => ({ skip: `smoke test skipped: ${why}; the rollout itself was still checked` });
  if (access.oidc !== undefined || access.cognito !== undefined) {
    return skip(`listenerRule.access.${access.oidc !== undefined ? 'oidc' : 'cognito'} sends every caller to a login first, and a build cannot log in`);
  }
  if (access.sourceIps !== undefined) {
    return skip(`listenerRule.access.sourceIps admits only its CIDRs, and ${NO_EGRESS_ADDRESS}${access.httpHeader ? ' (the header alone does not pass: the rule wants both)' : ''}`);
  }
  if (host.includes('${')) return skip('listenerRule.hostHeader is a Terraform reference, known only at plan');
  if (/[*?]/.test(host)) return skip(`listenerRule.hostHeader ${JSON.stringify(host)} is a pattern, not one host to call`);
  if (access.httpHeader?.valueFrom.includes('${')) return skip('listenerRule.access.httpHeader.valueFrom is a Terraform reference, which the buildspec cannot name');
  // The listener's port when it is looked up; a listener given by ARN is taken to be HTTPS on 443.
  const port = rule.loadBalancer?.listenerPort;
  const origin = port === 80 ? `http://${host}` : port === undefined || port === 443 ? `https://${host}` : `https://${host}:${port}`;
  const header = access.httpHeader ? { name: access.httpHeader.name, valueFrom: access.httpHeader.valueFrom } : undefined;
  return { url: `${origin}${config.targetGroup.healthCheck.path}`, ...(header ? { header } : {}) };
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
