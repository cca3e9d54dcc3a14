import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { awsCronProblem } from '../aws/autoscaling';
import { policyDocument, Statement } from '../aws/iam';
import { assumedByScheduler, boundedName, universalTarget } from '../aws/scheduler';
import { ADDRESS } from '../kit/defaults';
import { requireValid } from './validate';

/** Stopping and starting exactly these clusters (an ARN, or a pattern of preview clones' ARNs), and nothing else. */
export function stopStartStatement(clusterArns: readonly string[]): Statement {
  return { Sid: 'StopAndStartTheClone', Effect: 'Allow', Action: ['rds:StopDBCluster', 'rds:StartDBCluster'], Resource: [...clusterArns] };
}

export interface CloneSchedulerRoleProps {
  /** Names the role `<name>-scheduler` (at most 64 characters). */
  readonly name: string;
  /** The clusters it may stop and start: one clone's ARN, or the pattern of an environment's preview clones. */
  readonly clusterArns: readonly string[];
  /** The account whose schedules may assume it. */
  readonly account: string;
  /**
   * Terraform address of the role and its policy.
   * @default "database_clone_stop"
   */
  readonly address?: string;
  /**
   * Tags of the role.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The role EventBridge Scheduler assumes to stop and start clones: exactly rds:StopDBCluster and rds:StartDBCluster on them. */
export class CloneSchedulerRole extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CloneSchedulerRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      name: boundedName(props.name, 'scheduler'),
      description: 'EventBridge Scheduler: stop the copy-on-write clone at sleep, start it at wake',
      assumeRolePolicy: assumedByScheduler(props.account),
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.role.overrideLogicalId(props.address ?? ADDRESS.databaseCloneStop);
    const policy = new IamRolePolicy(this, 'Policy', { name: 'stop-start-clone', role: this.role.id, policy: policyDocument([stopStartStatement(props.clusterArns)]) });
    policy.overrideLogicalId(props.address ?? ADDRESS.databaseCloneStop);
  }

  public get arn(): string {
    return this.role.arn;
  }
}

export interface CloneSleepProps {
  /** The clone's cluster identifier (a reference to it orders the schedules after the clone). */
  readonly clusterIdentifier: string;
  /** The clone's ARN: the one resource the role may stop and start. */
  readonly clusterArn: string;
  /** AWS cron expression: start the clone (the service's wake). */
  readonly wake: string;
  /** AWS cron expression: stop the clone (the service's sleep). */
  readonly sleep: string;
  /** IANA time zone of both expressions. */
  readonly timezone: string;
  /** Names the schedules `<name>-stop`/`-start` and the role `<name>-scheduler` (each at most 64 characters). */
  readonly name: string;
  /**
   * A role EventBridge Scheduler assumes, made elsewhere (a preview's: staging's role for every preview
   * clone). Given, no role is created.
   * @default - a role of its own, allowed exactly rds:StopDBCluster and rds:StartDBCluster on `clusterArn`
   */
  readonly roleArn?: string;
  /**
   * Tags of the role (schedules take none).
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The clone's working hours: EventBridge Scheduler stops it when the service sleeps and starts it when
 * the service wakes, through the universal targets `aws-sdk:rds:stopDBCluster` and `startDBCluster`.
 * While stopped, Aurora bills storage only, no instance hours; AWS starts a cluster stopped for seven
 * days by itself (Aurora User Guide, "Stopping and starting an Amazon Aurora DB cluster"), and the next
 * sleep stops it again. A stop of a cluster that is not available (being created, or masked) fails,
 * and is not retried: the next sleep stops it.
 */
export class CloneSleep extends Construct {
  public readonly role?: IamRole;
  public readonly stop: SchedulerSchedule;
  public readonly start: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: CloneSleepProps) {
    super(scope, id);
    for (const field of ['wake', 'sleep'] as const) requireValid(this, field, props[field], (value) => awsCronProblem(value) === undefined, 'must be an AWS cron expression like "cron(0 8 ? * MON-FRI *)"');
    let roleArn = props.roleArn;
    if (roleArn === undefined) {
      // the clone's account: its ARN's fifth field
      this.role = new CloneSchedulerRole(this, 'Role', { name: props.name, clusterArns: [props.clusterArn], account: Fn.element(Fn.split(':', props.clusterArn), 4), tags: props.tags }).role;
      roleArn = this.role.arn;
    }
    const schedule = (what: 'stop' | 'start', expression: string) => {
      const resource = new SchedulerSchedule(this, what === 'stop' ? 'Stop' : 'Start', {
        name: boundedName(props.name, what),
        description: what === 'stop' ? 'Stops the clone while the service sleeps: storage is billed, instance hours are not' : 'Starts the clone for the service to wake',
        scheduleExpression: expression,
        scheduleExpressionTimezone: props.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: universalTarget('rds', what === 'stop' ? 'stopDBCluster' : 'startDBCluster'),
          roleArn: roleArn!,
          input: Fn.jsonencode({ DbClusterIdentifier: props.clusterIdentifier }),
          retryPolicy: { maximumRetryAttempts: 0 },
        },
      });
      resource.overrideLogicalId(what === 'stop' ? ADDRESS.databaseCloneStop : ADDRESS.databaseCloneStart);
      return resource;
    };
    this.stop = schedule('stop', props.sleep);
    this.start = schedule('start', props.wake);
  }
}
