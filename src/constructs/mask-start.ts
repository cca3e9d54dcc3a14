import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { dependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, Statement } from '../aws/iam';
import { boundedName } from '../aws/scheduler';
import { ADDRESS } from '../kit/defaults';
import { requireValid } from './validate';

/**
 * The RDS event that starts the masking job: "DB instance created", RDS-EVENT-0005, of category
 * creation, which RDS emits for every DB instance, an Aurora cluster's included (Amazon RDS User Guide,
 * "Amazon RDS event categories and event messages", DB instance events). RDS sends it to EventBridge
 * as detail-type "RDS DB Instance Event" from source aws.rds, with `SourceIdentifier` the instance's
 * identifier (Amazon RDS User Guide, "Creating a rule that triggers on an Amazon RDS event" and its
 * example events: `detail: { EventCategories: ["creation"], SourceType: "DB_INSTANCE", SourceIdentifier:
 * "database-4", Message: "DB instance created", EventID: "RDS-EVENT-0005" }`).
 */
export const INSTANCE_CREATED = { source: 'aws.rds', detailType: 'RDS DB Instance Event', eventId: 'RDS-EVENT-0005' } as const;

/** The rule's event pattern: the creation of exactly the instance named. */
export function instanceCreatedPattern(identifier: string): string {
  return JSON.stringify({ source: [INSTANCE_CREATED.source], 'detail-type': [INSTANCE_CREATED.detailType], detail: { SourceIdentifier: [identifier], EventID: [INSTANCE_CREATED.eventId] } });
}

/** Starting exactly these CodeBuild projects (an ARN, or the pattern of an environment's previews' masking projects). */
export function startBuildStatement(projectArns: readonly string[]): Statement {
  return { Sid: 'StartMaskingJob', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [...projectArns] };
}

/** The trust policy of a role EventBridge assumes for rules of this account (and, narrower, these rules). */
export function assumedByEvents(account: string, ruleArns?: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sts:AssumeRole',
      // the confused deputy: only this account's rules, these rules (EventBridge User Guide, "Using IAM policy conditions in Amazon EventBridge": aws:SourceAccount, aws:SourceArn of the rule)
      Condition: { StringEquals: { 'aws:SourceAccount': account }, ...(ruleArns ? { ArnLike: { 'aws:SourceArn': [...ruleArns] } } : {}) },
    }],
  });
}

/** The suffix of the rule's and the role's names: `<name>-start`. */
export const MASK_START_SUFFIX = 'start';

export interface MaskStartProps {
  /**
   * The clone's instance, by the literal identifier it is created with (`CloneDatabase.maskTarget.instanceIdentifier`):
   * a reference to the instance would create the rule after it, too late for its event.
   */
  readonly instanceIdentifier: string;
  /** The masking job's project ARN: the rule's target, and the one project the role may start. */
  readonly projectArn: string;
  /** Names the rule and the role, `<name>-start` (each at most 64 characters). */
  readonly name: string;
  /** The account of the clone and the project, for the role's trust. */
  readonly account: string;
  /**
   * A role EventBridge assumes, made elsewhere (a preview's: staging's, allowed to start every preview's
   * masking project). Given, no role is created.
   * @default - a role of its own, allowed exactly codebuild:StartBuild on `projectArn`, for this rule only
   */
  readonly roleArn?: string;
  /**
   * Tags of the rule and the role.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * What starts the masking job, declaratively: an EventBridge rule on the clone's instance's "DB
 * instance created" event (`INSTANCE_CREATED`), whose target is the job's CodeBuild project. The instance
 * is created only after the rule and its target exist (`precedes`), so its event is never missed; a
 * replaced clone (`npm run refresh-data`) has a new instance, whose event starts the job again.
 *
 * Why an event, not Terraform: a `local-exec` would start the job from the deployer's machine with their
 * credentials, and not at all when the previews build applies; the event fires in AWS whoever created
 * the instance. RDS delivers events on a best-effort basis: a lost event leaves the service at 0 tasks
 * (fail closed), and `aws codebuild start-build --project-name <project>` starts the job by hand.
 */
export class MaskStart extends Construct {
  public readonly rule: CloudwatchEventRule;
  public readonly target: CloudwatchEventTarget;
  public readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: MaskStartProps) {
    super(scope, id);
    requireValid(this, 'instanceIdentifier', props.instanceIdentifier, (value) => /^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(value), 'must be the instance\'s identifier as a literal (the rule must exist before the instance, so it cannot refer to it)');
    const tags = props.tags ? { ...props.tags } : undefined;
    const name = boundedName(props.name, MASK_START_SUFFIX);
    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name,
      description: `Starts the masking job when ${props.instanceIdentifier} is created (RDS-EVENT-0005)`,
      eventPattern: instanceCreatedPattern(props.instanceIdentifier),
      tags,
    });
    this.rule.overrideLogicalId(ADDRESS.databaseCloneMaskStart);
    let roleArn = props.roleArn;
    if (roleArn === undefined) {
      this.role = new IamRole(this, 'Role', {
        name,
        description: 'EventBridge: start the masking job of the clone',
        assumeRolePolicy: assumedByEvents(props.account, [this.rule.arn]),
        tags,
      });
      this.role.overrideLogicalId(ADDRESS.databaseCloneMaskStart);
      const policy = new IamRolePolicy(this, 'Policy', { name: 'start-masking-job', role: this.role.id, policy: policyDocument([startBuildStatement([props.projectArn])]) });
      policy.overrideLogicalId(ADDRESS.databaseCloneMaskStart);
      roleArn = this.role.arn;
    }
    this.target = new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      targetId: 'masking-job',
      arn: props.projectArn,
      roleArn,
    });
    this.target.overrideLogicalId(ADDRESS.databaseCloneMaskStart);
  }

  /** Orders `resource` (the clone's instance) after the rule and its target: its creation is their event. */
  public precedes(resource: TerraformResource): void {
    // as a `dependsOn` prop renders them: "aws_cloudwatch_event_rule.<name>", not an interpolation
    resource.dependsOn = [...(resource.dependsOn ?? []), dependable(this.rule), dependable(this.target)];
  }
}
