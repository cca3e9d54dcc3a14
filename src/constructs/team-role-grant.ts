import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { policyDocument, Statement } from '../aws/iam';

export interface TeamRoleGrantProps {
  /** The team's own role (`taskRoleArn` or `executionRoleArn`), written out or a reference. */
  readonly roleArn: string;
  /** The inline policy's name on that role, unique on it. */
  readonly policyName: string;
  /** Exactly what the stack needs of the role: one statement per grant, by exact ARN. */
  readonly statements: readonly Statement[];
  /** Terraform address of the policy. */
  readonly address: string;
}

/** A role's name from its ARN: the last segment of `role/<path/>name`. */
export function roleNameOf(roleArn: string): string {
  if (Token.isUnresolved(roleArn)) return Fn.regex('[^/]+$', roleArn);
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * What the stack needs of a role it does not write, attached as one inline policy of its own: the
 * plan shows it, a destroy removes it, and the role's other policies are not touched.
 */
export class TeamRoleGrant extends Construct {
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TeamRoleGrantProps) {
    super(scope, id);
    if (props.statements.length === 0) throw new Error(`${this.node.path}: statements: must list at least one`);
    this.policy = new IamRolePolicy(this, 'Policy', { name: props.policyName, role: roleNameOf(props.roleArn), policy: policyDocument(props.statements) });
    this.policy.overrideLogicalId(props.address);
  }
}
