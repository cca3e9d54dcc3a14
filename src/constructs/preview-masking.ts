import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { partitionOf, policyDocument, Statement } from '../aws/iam';
import { boundedName } from '../aws/scheduler';
import { previewCloneSecretsStatement } from './clone-database';
import { assumedByEvents, MASK_START_SUFFIX, startBuildStatement } from './mask-start';
import { assumedByCodeBuild, maskingJobName, sourceStatement, vpcStatements } from './masking-job';

/**
 * The names a preview's masking job takes, as patterns of all of an environment's previews: the
 * projects `<source>-<stack>-pr-*-mask` (and their logs), and the rules that start them, whose names
 * `MaskStart` bounds to 64 characters (a long one keeps its first characters, so the pattern keeps as
 * many as any name does).
 */
export function previewMaskingPatterns(clonePattern: string): { readonly project: string; readonly rule: string } {
  const prefix = clonePattern.replace(/\*$/, '');
  // boundedName keeps the first 64 - "-start" - "-<8 hex>-" characters of a long name, trailing "-" cut
  const limit = 64 - MASK_START_SUFFIX.length - 10;
  const kept = prefix.length < limit ? prefix : prefix.slice(0, limit).replace(/-+$/, '');
  return { project: maskingJobName(clonePattern), rule: `${kept}*` };
}

export interface PreviewMaskingRolesProps {
  /** Names the roles `<name>-mask` and `<name>-mask-start`. */
  readonly name: string;
  readonly region: string;
  readonly account: string;
  /** The previews' clones, `<source>-<stack>-pr-*`. */
  readonly clonePattern: string;
  /** The staging ECS cluster the previews' services run in, by name. */
  readonly clusterName: string;
  /** Previews' services are named `<servicePrefix><number>`. */
  readonly servicePrefix: string;
  /** The tasks' subnets, where the jobs run. */
  readonly subnetIds: readonly string[];
  /**
   * Previews have working hours: the jobs resume their scalable targets.
   * @default false
   */
  readonly workingHours?: boolean;
  /** The jobs' source: the application repository's connection, or a token secret (exactly one). */
  readonly connectionArn?: string;
  readonly tokenSecretArn?: string;
}

/**
 * The two roles every preview's masking job runs with, made once by the staging stack: a preview's
 * build may pass them (to CodeBuild and to EventBridge), never make a role of its own. The job's role
 * may do what `MaskingJob`'s own does, for the previews' clones and services by name: read a clone's
 * master secret only where RDS's tag names a preview clone, describe those clones, describe and scale
 * those services, write the projects' logs, and run in the VPC; the start role may start only the
 * previews' masking projects, for the previews' rules only.
 */
export class PreviewMaskingRoles extends Construct {
  public readonly jobRole: IamRole;
  public readonly startRole: IamRole;

  constructor(scope: Construct, id: string, props: PreviewMaskingRolesProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${props.region}:${props.account}:${resource}`;
    const patterns = previewMaskingPatterns(props.clonePattern);

    this.jobRole = new IamRole(this, 'JobRole', {
      name: boundedName(props.name, 'mask'),
      description: 'Masking jobs of the previews\' clones: mask a preview\'s clone, then scale its service up',
      assumeRolePolicy: assumedByCodeBuild(),
    });
    this.jobRole.overrideLogicalId('previews_clone_mask');
    const statements: Statement[] = [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arn('logs', `log-group:/aws/codebuild/${patterns.project}:*`)] },
      { ...previewCloneSecretsStatement(partition, props.region, props.account, props.clonePattern), Sid: 'CloneSecret' },
      { Sid: 'CloneCluster', Effect: 'Allow', Action: ['rds:DescribeDBClusters'], Resource: [arn('rds', `cluster:${props.clonePattern}`)] },
      { Sid: 'Scale', Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [arn('ecs', `service/${props.clusterName}/${props.servicePrefix}*`)] },
      // Application Auto Scaling names a target by a random ID: a preview's cannot be named before it
      // exists, so the grant is the account's targets, as the previews build's own (ECS checks Scale)
      ...(props.workingHours ? [{ Sid: 'ResumeWorkingHours', Effect: 'Allow' as const, Action: ['application-autoscaling:RegisterScalableTarget'], Resource: [arn('application-autoscaling', 'scalable-target/*')] }] : []),
      ...vpcStatements(partition, props.region, props.account, props.subnetIds),
      sourceStatement(props),
    ];
    new IamRolePolicy(this, 'JobPolicy', { name: 'masking-job', role: this.jobRole.id, policy: policyDocument(statements) }).overrideLogicalId('previews_clone_mask');

    this.startRole = new IamRole(this, 'StartRole', {
      name: boundedName(props.name, 'mask-start'),
      description: 'EventBridge: start the masking job of a preview\'s clone',
      assumeRolePolicy: assumedByEvents(props.account, [arn('events', `rule/${patterns.rule}`)]),
    });
    this.startRole.overrideLogicalId('previews_clone_mask_start');
    new IamRolePolicy(this, 'StartPolicy', { name: 'start-masking-job', role: this.startRole.id, policy: policyDocument([startBuildStatement([arn('codebuild', `project/${patterns.project}`)])]) }).overrideLogicalId(
      'previews_clone_mask_start',
    );
  }
}
