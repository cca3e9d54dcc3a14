import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { Construct } from 'constructs';
import { ECS_DESIRED_COUNT, ecsServiceResourceId } from '../aws/autoscaling';
import { ADDRESS } from '../kit/defaults';

export interface WorkingHoursProps {
  /** Name of the service's cluster (a reference to it orders the target after the cluster). */
  readonly clusterName: string;
  /** Name of the service (a reference to it orders the target after the service). */
  readonly serviceName: string;
  /** Tasks while awake. */
  readonly desiredCount: number;
  /** AWS cron expression: scale back to `desiredCount`. */
  readonly wake: string;
  /** AWS cron expression: scale to 0. */
  readonly sleep: string;
  /** IANA time zone of both expressions. */
  readonly timezone: string;
  /**
   * The target's capacity when it is registered: 0 for a service that a job scales up (`Service`
   * `startsAtZero`), since registering a target at `desiredCount` would scale the service up at once.
   * @default - `desiredCount`
   */
  readonly initialCapacity?: number;
  /**
   * Register the target with its scheduled and dynamic scaling suspended, for a service that must not
   * get a task before a job has run (a masked clone's): a wake while suspended scales nothing. The job
   * resumes it (`aws application-autoscaling register-scalable-target --suspended-state …=false`), and
   * Terraform ignores the suspended state after create, as it does the capacities.
   * @default false
   */
  readonly startsSuspended?: boolean;
}

/**
 * Working hours of an ECS service: an Application Auto Scaling target on its task count, and two
 * scheduled actions, wake (to `desiredCount`) and sleep (to 0).
 *
 * Two traps are handled here. The actions are created one after the other (`depends_on`): Application
 * Auto Scaling refuses concurrent changes to one target with ConcurrentUpdateException. And Terraform
 * ignores the target's capacities once created (the service's `desired_count` is ignored by `Service`
 * with `scheduled`), because the actions own them: otherwise an apply at night would wake the service,
 * or one in the day put it to sleep.
 */
export class WorkingHours extends Construct {
  public readonly target: AppautoscalingTarget;
  public readonly wakeAction: AppautoscalingScheduledAction;
  public readonly sleepAction: AppautoscalingScheduledAction;

  constructor(scope: Construct, id: string, props: WorkingHoursProps) {
    super(scope, id);
    this.target = new AppautoscalingTarget(this, 'Target', {
      serviceNamespace: 'ecs',
      resourceId: ecsServiceResourceId(props.clusterName, props.serviceName),
      scalableDimension: ECS_DESIRED_COUNT,
      minCapacity: props.initialCapacity ?? props.desiredCount,
      maxCapacity: props.initialCapacity ?? props.desiredCount,
      suspendedState: props.startsSuspended ? { dynamicScalingInSuspended: true, dynamicScalingOutSuspended: true, scheduledScalingSuspended: true } : undefined,
      lifecycle: { ignoreChanges: ['min_capacity', 'max_capacity', ...(props.startsSuspended ? ['suspended_state'] : [])] },
    });
    this.target.overrideLogicalId(ADDRESS.scalableTarget);
    const action = (name: 'wake' | 'sleep', schedule: string, count: number, dependsOn?: AppautoscalingScheduledAction[]) => {
      const resource = new AppautoscalingScheduledAction(this, name === 'wake' ? 'Wake' : 'Sleep', {
        name: `${props.serviceName}-${name}`,
        serviceNamespace: this.target.serviceNamespace,
        resourceId: this.target.resourceId,
        scalableDimension: this.target.scalableDimension,
        schedule,
        timezone: props.timezone,
        scalableTargetAction: { minCapacity: String(count), maxCapacity: String(count) },
        dependsOn,
      });
      resource.overrideLogicalId(name === 'wake' ? ADDRESS.wakeAction : ADDRESS.sleepAction);
      return resource;
    };
    this.wakeAction = action('wake', props.wake, props.desiredCount);
    this.sleepAction = action('sleep', props.sleep, 0, [this.wakeAction]);
  }

  /** The scalable target's ARN: what a job that resumes it is allowed `RegisterScalableTarget` on. */
  public get targetArn(): string {
    return this.target.arn;
  }
}
