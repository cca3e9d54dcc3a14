/**
 * What a day-2 command acts on, from the environment file alone: the names staging (or one preview,
 * `<stack>-pr-<n>`) has in AWS, exactly as the stack gave them. No AWS call here.
 */
import { previewSchedule, Schedule } from '../environment/capacity';
import { createdNames } from '../environment/names';
import { previewStatePrefix, resolvePreview } from '../environment/previews';
import { fileAccount } from '../environment/rules/account-region';
import type { EnvironmentConfig } from '../environment/schema';

/** `<environment>-pr-<number>`, as `npm run wake` and `db-grants` read it. */
export const PREVIEW_STACK = /^(.+)-pr-(\d{1,9})$/;

/** A stack name as the environment file it comes from, and the pull request number of a preview. */
export function splitStackName(stack: string): { environment: string; number?: number } {
  const match = PREVIEW_STACK.exec(stack);
  return match ? { environment: match[1], number: Number(match[2]) } : { environment: stack };
}

/** Who may reach the host: each restriction of `listenerRule.access`, all of which apply at once. */
export type AccessRestriction =
  | { readonly kind: 'sourceIps'; readonly cidrs: readonly string[] }
  | { readonly kind: 'httpHeader'; readonly name: string; readonly valueFrom: string }
  | { readonly kind: 'oidc'; readonly issuer: string }
  | { readonly kind: 'cognito'; readonly userPoolDomain: string }
  | { readonly kind: 'public' };

export interface OperationTarget {
  /** The stack name given on the command line. */
  readonly stack: string;
  /** The environment file's stack (a preview's staging stack). */
  readonly environment: string;
  /** The environment file, relative to the working directory. */
  readonly file: string;
  readonly region: string;
  /** The account the file's ARNs name, when they agree on one. */
  readonly account?: string;
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  readonly container: string;
  readonly logGroup: string;
  /** awslogs stream prefix: streams are `<prefix>/<container>/<task ID>`. */
  readonly logStreamPrefix: string;
  readonly targetGroup: string;
  readonly host: string;
  readonly access: readonly AccessRestriction[];
  /** The listener the rule is on: by ARN, or the ALB and port to look it up by. */
  readonly listener: { readonly arn?: string; readonly loadBalancer?: { readonly name: string; readonly port: number } };
  /** Tasks while awake. */
  readonly desiredCount: number;
  readonly schedule?: Schedule;
  /** ECS Exec: on when the file turns it on; never on a preview. */
  readonly execEnabled: boolean;
  /** The CodeBuild project whose builds deploy it: staging's pipeline, or the previews' project. */
  readonly buildProject?: string;
  /** How long a deploy may take (pipeline.waitTimeoutSeconds, 600 s by default). */
  readonly waitTimeoutSeconds: number;
  /** The preview's pull request, its state object (the reaper's clock) and its closed marker. */
  readonly preview?: {
    readonly number: number;
    readonly ttlDays: number;
    readonly stateBucket: string;
    readonly stateKey: string;
    readonly closedKey: string;
  };
}

/** The access restrictions a file writes, in the order the listener applies them. */
export function accessRestrictions(config: EnvironmentConfig): AccessRestriction[] {
  const access = config.listenerRule.access ?? {};
  const restrictions: AccessRestriction[] = [];
  if (access.public) restrictions.push({ kind: 'public' });
  if (access.sourceIps) restrictions.push({ kind: 'sourceIps', cidrs: access.sourceIps });
  if (access.httpHeader) restrictions.push({ kind: 'httpHeader', name: access.httpHeader.name, valueFrom: access.httpHeader.valueFrom });
  if (access.oidc) restrictions.push({ kind: 'oidc', issuer: access.oidc.issuer });
  if (access.cognito) restrictions.push({ kind: 'cognito', userPoolDomain: access.cognito.userPoolDomain });
  return restrictions;
}

/**
 * The names of `stack` (staging, or `<environment>-pr-<n>`), from its environment's file. A preview of a
 * file without previews is a one-line error, as in `npm run wake`.
 */
export function operationTarget(stack: string, file: string, config: EnvironmentConfig): OperationTarget {
  const { environment, number } = splitStackName(stack);
  const names = createdNames(config);
  const listenerRule = config.listenerRule;
  const common = {
    stack,
    environment,
    file,
    region: config.region,
    account: fileAccount(config),
    cluster: names.cluster,
    container: config.taskDefinition.container.name,
    logStreamPrefix: config.taskDefinition.container.logStreamPrefix,
    access: accessRestrictions(config),
    listener: { arn: listenerRule.listenerArn, loadBalancer: listenerRule.loadBalancer && { name: listenerRule.loadBalancer.name, port: listenerRule.loadBalancer.listenerPort } },
    waitTimeoutSeconds: config.pipeline?.waitTimeoutSeconds ?? 600,
  };
  if (number === undefined) {
    return {
      ...common,
      service: names.service,
      family: names.family,
      logGroup: names.logGroup,
      targetGroup: names.targetGroup,
      host: listenerRule.hostHeader,
      desiredCount: config.service.desiredCount,
      schedule: config.service.schedule,
      execEnabled: config.service.enableExecuteCommand,
      buildProject: names.buildProject,
    };
  }
  if (!config.previews || !config.backend) throw new Error(`${file}: previews: the environment has no previews section, so there is no ${stack}`);
  const preview = resolvePreview(environment, config, number);
  const statePrefix = previewStatePrefix(environment);
  return {
    ...common,
    service: preview.service,
    family: preview.family,
    logGroup: preview.logGroup,
    targetGroup: preview.targetGroup,
    host: preview.host,
    desiredCount: config.previews.desiredCount,
    schedule: previewSchedule(config),
    // PreviewStack: no shell into a pull request's code next to production data
    execEnabled: false,
    buildProject: names.buildProject && `${names.buildProject}-previews`,
    preview: {
      number,
      ttlDays: config.previews.ttlDays,
      stateBucket: config.backend.bucket,
      stateKey: preview.stateKey,
      closedKey: `${statePrefix}/pr-${number}.closed`,
    },
  };
}

