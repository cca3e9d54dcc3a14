import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { ADDRESS, KIT } from '../kit/defaults';
import { RETENTION_DAYS } from '../aws/logs';
import { requireValid } from './validate';
import { adopt, AdoptionProps } from './adoption';

export interface LogGroupProps extends AdoptionProps {
  /** The awslogs group of the container; ECS Exec sessions are logged here too. */
  readonly name: string;
  /**
   * Days CloudWatch Logs keeps the logs.
   * @default 30
   */
  readonly retentionInDays?: number;
  /**
   * KMS key that encrypts the group.
   * @default - CloudWatch-owned keys
   */
  readonly kmsKeyArn?: string;
}

/** The service's log group, managed so that it has a retention (awslogs creates groups that keep logs forever). */
export class LogGroup extends Construct {
  public readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    const retentionInDays = props.retentionInDays ?? KIT.logs.retentionInDays;
    requireValid(this, 'retentionInDays', retentionInDays, (d) => (RETENTION_DAYS as readonly number[]).includes(d), `must be one of ${RETENTION_DAYS.join(', ')}`);
    this.resource = new CloudwatchLogGroup(this, 'Resource', { name: props.name, retentionInDays, kmsKeyId: props.kmsKeyArn });
    this.resource.overrideLogicalId(ADDRESS.logGroup);
    // An existing group (the awslogs driver's `awslogs-create-group` made it on first start) is imported by its name.
    adopt(this.resource, props);
  }

  public get name(): string {
    return this.resource.name;
  }

  public get arn(): string {
    return this.resource.arn;
  }
}
