import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { ADDRESS, KIT } from '../kit/defaults';
import { RETENTION_DAYS } from '../aws/logs';
import { requireValid } from './validate';

export interface LogGroupProps {
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
  /**
   * Import the existing group (the awslogs driver's `awslogs-create-group` made it on first start)
   * instead of creating it. Terraform ≥ 1.5 `import` block.
   * @default false
   */
  readonly adopt?: boolean;
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
    if (props.adopt) this.resource.importFrom(props.name);
  }

  public get name(): string {
    return this.resource.name;
  }

  public get arn(): string {
    return this.resource.arn;
  }
}
