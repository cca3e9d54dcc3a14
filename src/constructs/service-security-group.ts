import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';

export interface ServiceSecurityGroupProps {
  /** Group name, unique in the VPC. */
  readonly name: string;
  /** The production VPC. */
  readonly vpcId: string;
  /** The production ALB's security group: the only source admitted. */
  readonly loadBalancerSecurityGroupId: string;
  /** The container port. */
  readonly port: number;
}

/**
 * The staging tasks' own security group: in from the production ALB on the container port only,
 * out to anywhere (ECR, CloudWatch, SSM, the database). Rules are standalone resources, the
 * provider's recommended form, so each one shows up on its own in a plan.
 */
export class ServiceSecurityGroup extends Construct {
  public readonly group: SecurityGroup;

  constructor(scope: Construct, id: string, props: ServiceSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, 'Group', {
      name: props.name,
      description: 'Staging tasks: in from the production ALB only',
      vpcId: props.vpcId,
    });
    this.group.overrideLogicalId(ADDRESS.securityGroup);
    const ingress = new VpcSecurityGroupIngressRule(this, 'FromLoadBalancer', {
      securityGroupId: this.group.id,
      referencedSecurityGroupId: props.loadBalancerSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      description: 'Production ALB to the container port',
    });
    ingress.overrideLogicalId(`${ADDRESS.securityGroup}_from_alb`);
    const egress = new VpcSecurityGroupEgressRule(this, 'Egress', {
      securityGroupId: this.group.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: '-1',
      description: 'ECR, CloudWatch Logs, SSM, the database',
    });
    egress.overrideLogicalId(`${ADDRESS.securityGroup}_egress`);
  }

  public get id(): string {
    return this.group.id;
  }
}
