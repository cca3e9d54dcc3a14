import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';

export interface DatabaseAccessProps {
  /** The production database's security group. Referenced, never managed. */
  readonly databaseSecurityGroupId: string;
  /** Database port. */
  readonly port: number;
  /** The staging tasks' security groups. */
  readonly sourceSecurityGroupIds: readonly string[];
}

/**
 * The path "staging reads production data", stated in code: one standalone ingress rule per staging
 * group on the production database's group. Only these rules are managed; the group itself is not.
 */
export class DatabaseAccess extends Construct {
  public readonly rules: VpcSecurityGroupIngressRule[];

  constructor(scope: Construct, id: string, props: DatabaseAccessProps) {
    super(scope, id);
    this.rules = props.sourceSecurityGroupIds.map((source, index) => {
      const rule = new VpcSecurityGroupIngressRule(this, `Rule${index + 1}`, {
        securityGroupId: props.databaseSecurityGroupId,
        referencedSecurityGroupId: source,
        ipProtocol: 'tcp',
        fromPort: props.port,
        toPort: props.port,
        description: 'Staging tasks to the production database',
      });
      rule.overrideLogicalId(index === 0 ? ADDRESS.databaseAccess : `${ADDRESS.databaseAccess}_${index + 1}`);
      return rule;
    });
  }
}
