import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';
import { markResource } from './marks';

export interface DatabaseAccessProps {
  /** The production database's security group. Referenced, never managed. */
  readonly databaseSecurityGroupId: string;
  /** Database port. */
  readonly port: number;
  /** The staging tasks' security groups. */
  readonly sourceSecurityGroupIds: readonly string[];
  /**
   * Who staging connects as, and how, for the guardrails. Without it, the file gave only the
   * network path, and a guardrail warns that staging's access to the data is not the kit's to say.
   * @default - the network path only
   */
  readonly connection?: { readonly user: string; readonly writes: boolean; readonly writesConsented?: boolean };
}

/** Marks on the ingress rule, for the guardrails: how staging uses the database. */
export const DATABASE_MARK = {
  /** Only the network path: who connects as whom is not the kit's to say. */
  networkOnly: 'database-network-only',
  /** `access: "read-write"` (the schema refuses it without `allowProductionWrites`; constructs mark the consent apart). */
  writes: 'database-read-write',
  /** `allowProductionWrites: true`: the file's consent to `writes`; read-write without it is a guardrail error. */
  writesConsented: 'database-writes-consented',
  /** On a preview's task definition: the connection it inherits from staging is read-write (the schema refuses it). */
  previewWrites: 'database-preview-writes',
  /** The user staging connects as, `database-user:<name>`: the only one `rds-db:connect` may name. */
  user: 'database-user:',
  /**
   * On a task definition whose container connects as `service.database.user`: the variable the
   * password goes in, `database-password-variable:<name>` (DB_PASSWORD unless renamed).
   */
  passwordVariable: 'database-password-variable:',
  /** On that task definition: the kit gives the password variable itself (`service.database.passwordSecret`, or a clone's master secret). */
  kitPassword: 'database-kit-password',
} as const;

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
      if (!props.connection) markResource(rule, DATABASE_MARK.networkOnly);
      else {
        markResource(rule, `${DATABASE_MARK.user}${props.connection.user}`);
        if (props.connection.writes) markResource(rule, DATABASE_MARK.writes);
        if (props.connection.writes && props.connection.writesConsented) markResource(rule, DATABASE_MARK.writesConsented);
      }
      return rule;
    });
  }
}
