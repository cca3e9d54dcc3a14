import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';

export interface MaskJobSecurityGroupProps {
  /** Group name, unique in the VPC. */
  readonly name: string;
  /** The production VPC. */
  readonly vpcId: string;
  /**
   * Tags of the group.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The security group the clones' masking job runs in (one per environment: staging's clone and every
 * preview's admit it, and each adds its own egress rule from it to that clone on the port). Its own,
 * not the tasks': nothing reaches it (the tasks' group admits the ALB), and a team's own tasks group may
 * not let it out to the AWS APIs it calls. Out: HTTPS, for the AWS APIs and its source; in: nothing.
 */
export class MaskJobSecurityGroup extends Construct {
  public readonly group: SecurityGroup;

  constructor(scope: Construct, id: string, props: MaskJobSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, 'Group', {
      name: props.name,
      description: 'Masking job of the copy-on-write clones: out to them and HTTPS only, in from nothing',
      vpcId: props.vpcId,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.group.overrideLogicalId(ADDRESS.databaseCloneMask);
    const https = new VpcSecurityGroupEgressRule(this, 'Https', {
      securityGroupId: this.group.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'The masking job to the AWS APIs (ECS, Secrets Manager, logs) and its source',
    });
    https.overrideLogicalId(`${ADDRESS.databaseCloneMask}_https`);
  }

  public get id(): string {
    return this.group.id;
  }
}
