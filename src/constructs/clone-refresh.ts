import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument } from '../aws/iam';
import { assumedByScheduler, boundedName, universalTarget } from '../aws/scheduler';
import { ADDRESS } from '../kit/defaults';

/** The variable the refresh sets on the job's build, and its value. */
export const CLONE_REFRESH_VARIABLE = { name: 'CLONE_ACTION', value: 'refresh' } as const;

export interface CloneRefreshProps {
  /** The CodeBuild project that replaces the clone and masks it again (the masking job's). */
  readonly projectName: string;
  /** Its ARN: the one project the role may start. */
  readonly projectArn: string;
  /** EventBridge Scheduler expression, `cron(…)` or `rate(…)`. */
  readonly schedule: string;
  /**
   * Time zone of a cron expression.
   * @default "UTC"
   */
  readonly timezone?: string;
  /** Names the schedule `<name>-refresh` and the role `<name>-refresh` (each at most 64 characters). */
  readonly name: string;
}

/**
 * `clone.refresh`: EventBridge Scheduler starts the job that replaces the clone with a fresh one of the
 * latest production data and masks it again (a build of `projectName` with `CLONE_ACTION=refresh`),
 * through the universal target `aws-sdk:codebuild:startBuild`. Its role may start that project only.
 */
export class CloneRefresh extends Construct {
  public readonly role: IamRole;
  public readonly schedule: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: CloneRefreshProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      name: boundedName(props.name, 'refresh'),
      description: 'EventBridge Scheduler: start the clone refresh build',
      assumeRolePolicy: assumedByScheduler(Fn.element(Fn.split(':', props.projectArn), 4)),
    });
    this.role.overrideLogicalId(ADDRESS.databaseCloneRefresh);
    const policy = new IamRolePolicy(this, 'Policy', {
      name: 'start-clone-refresh',
      role: this.role.id,
      policy: policyDocument([{ Sid: 'StartCloneRefresh', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [props.projectArn] }]),
    });
    policy.overrideLogicalId(ADDRESS.databaseCloneRefresh);
    this.schedule = new SchedulerSchedule(this, 'Schedule', {
      name: boundedName(props.name, 'refresh'),
      description: 'Replaces the clone with a fresh copy-on-write clone of production, and masks it again',
      scheduleExpression: props.schedule,
      scheduleExpressionTimezone: props.timezone ?? 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: universalTarget('codebuild', 'startBuild'),
        roleArn: this.role.arn,
        input: JSON.stringify({ ProjectName: props.projectName, EnvironmentVariablesOverride: [{ Name: CLONE_REFRESH_VARIABLE.name, Value: CLONE_REFRESH_VARIABLE.value, Type: 'PLAINTEXT' }] }),
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
    this.schedule.overrideLogicalId(ADDRESS.databaseCloneRefresh);
  }
}
