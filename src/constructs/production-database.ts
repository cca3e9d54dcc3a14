import { DataAwsDbInstance } from '@cdktf/provider-aws/lib/data-aws-db-instance';
import { DataAwsRdsCluster } from '@cdktf/provider-aws/lib/data-aws-rds-cluster';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { partitionOf } from '../aws/iam';
import { DatabaseEngine, dbUserArn, isAurora, ServiceDatabaseAccess } from '../aws/rds';
import { ADDRESS } from '../kit/defaults';

/** The production database staging connects to, by identifier: looked up, never managed. */
export interface ProductionDatabaseProps {
  /** The stack's region, for the `rds-db:connect` ARN. */
  readonly region: string;
  readonly engine: DatabaseEngine;
  /** An Aurora cluster. Exactly one of this and `instanceIdentifier`. */
  readonly clusterIdentifier?: string;
  /** An RDS instance. */
  readonly instanceIdentifier?: string;
  readonly databaseName: string;
  /**
   * The database user staging connects as (never the master user: a plan-time check refuses it).
   * @default - none: with access "clone" staging connects to its clone, never to this database
   */
  readonly user?: string;
  /** Connect with an IAM token: the task role gets `rds-db:connect` as `user` on this database only. */
  readonly iamAuth: boolean;
  /**
   * "read-only" and "read-write" connect to the writer endpoint; "reader" to an Aurora cluster's
   * reader endpoint, with a plan-time check that a reader instance exists; "clone" only reads the
   * cluster's facts for the clone (`CloneDatabase`) and connects to nothing here.
   */
  readonly access: ServiceDatabaseAccess;
}

/**
 * The production database, looked up by identifier (a data source, with plan-time checks), and what
 * staging needs to connect as its own user: the host, the port, its security group and the one
 * `rds-db:connect` resource. Nothing of the database is managed.
 */
export class ProductionDatabase extends Construct {
  public readonly lookup: DataAwsRdsCluster | DataAwsDbInstance;
  /** The host staging connects to: the writer endpoint, or the cluster's reader endpoint for "reader". */
  public readonly host: string;
  public readonly port: number;
  /** The database's first security group (sorted): an ingress rule on any one of its groups admits. */
  public readonly securityGroupId: string;
  /** With `iamAuth`: `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<user>`, the only resource the task may connect to. */
  public readonly connectResource?: string;

  constructor(scope: Construct, id: string, props: ProductionDatabaseProps) {
    super(scope, id);
    if ((props.clusterIdentifier === undefined) === (props.instanceIdentifier === undefined)) {
      throw new Error(`${this.node.path}: give exactly one of clusterIdentifier and instanceIdentifier`);
    }
    if ((props.access === 'reader' || props.access === 'clone') && props.clusterIdentifier === undefined) {
      throw new Error(`${this.node.path}: access "${props.access}" needs clusterIdentifier: an RDS instance has no ${props.access === 'reader' ? 'reader endpoint' : 'copy-on-write clone'}`);
    }
    if (props.clusterIdentifier !== undefined) {
      const cluster = new DataAwsRdsCluster(this, 'Cluster', { clusterIdentifier: props.clusterIdentifier, lifecycle: { postcondition: clusterChecks(props) } });
      cluster.overrideLogicalId(ADDRESS.productionDatabase);
      this.lookup = cluster;
      this.host = props.access === 'reader' ? cluster.readerEndpoint : cluster.endpoint;
      this.securityGroupId = Fn.element(Fn.sort(Fn.tolist(cluster.vpcSecurityGroupIds)), 0);
      this.port = cluster.port;
      this.connectResource = props.iamAuth && props.user !== undefined ? connectArn(props.region, cluster.arn, cluster.clusterResourceId, props.user) : undefined;
    } else {
      const instance = new DataAwsDbInstance(this, 'Instance', { dbInstanceIdentifier: props.instanceIdentifier!, lifecycle: { postcondition: instanceChecks(props) } });
      instance.overrideLogicalId(ADDRESS.productionDatabase);
      this.lookup = instance;
      this.host = instance.address;
      this.securityGroupId = Fn.element(Fn.sort(Fn.tolist(instance.vpcSecurityGroups)), 0);
      this.port = instance.port;
      this.connectResource = props.iamAuth && props.user !== undefined ? connectArn(props.region, instance.dbInstanceArn, instance.resourceId, props.user) : undefined;
    }
  }
}

/** The `rds-db:connect` resource of one user on one database: account from the database's ARN, resource ID from the lookup. */
function connectArn(region: string, databaseArn: string, resourceId: string, user: string): string {
  return dbUserArn(partitionOf(region), region, Fn.element(Fn.split(':', databaseArn), 4), resourceId, user);
}

type Check = { condition: string; errorMessage: string };
const quoted = (value: string) => JSON.stringify(value);

// What a file cannot know at synth, checked when Terraform reads the database at plan.
function commonChecks(database: ProductionDatabaseProps, kind: string, identifier: string): Check[] {
  if (database.user === undefined) return [];
  return [
    {
      condition: `\${self.master_username != ${quoted(database.user)}}`,
      errorMessage: `service.database.user: "${database.user}" is the master user of ${kind} ${identifier}: staging must connect as its own user (npm run db-grants -- <stack> prints the SQL that creates it).`,
    },
  ];
}

function clusterChecks(database: ProductionDatabaseProps): Check[] {
  const id = database.clusterIdentifier!;
  return [
    ...commonChecks(database, 'cluster', id),
    ...(database.iamAuth
      ? [{
          condition: '${self.iam_database_authentication_enabled}',
          errorMessage: `service.database.iamAuth: IAM database authentication is off on cluster ${id}, so its tokens would be refused: turn it on (aws rds modify-db-cluster --enable-iam-database-authentication), or use passwordSecret.`,
        }]
      : []),
    ...(database.access === 'reader'
      ? [{
          // cluster_members holds the writer and the readers: one member is the writer alone.
          condition: '${length(self.cluster_members) > 1}',
          errorMessage: `service.database.access: "reader": cluster ${id} has no reader instance, and its reader endpoint then connects to the writer, where writes work (Aurora User Guide, "Reader endpoint"). Add a reader, or use "read-only".`,
        }]
      : []),
    ...(database.access === 'clone'
      ? [{
          // Aurora User Guide, "Limitations of Aurora cloning": the source must have a DB instance
          condition: '${length(self.cluster_members) > 0}',
          errorMessage: `service.database.access: "clone": cluster ${id} has no DB instance, and Aurora clones only a cluster that has one.`,
        }]
      : []),
    ...(isAurora(database.engine)
      ? [{
          condition: `\${self.engine == ${quoted(database.engine)}}`,
          errorMessage: `service.database.engine: cluster ${id} does not run ${database.engine}; the grants (npm run db-grants) and the connection depend on it.`,
        }]
      : []),
  ];
}

function instanceChecks(database: ProductionDatabaseProps): Check[] {
  const id = database.instanceIdentifier!;
  return [
    ...commonChecks(database, 'instance', id),
    {
      condition: `\${self.engine == ${quoted(database.engine)}}`,
      errorMessage: `service.database.engine: instance ${id} does not run ${database.engine}; the grants (npm run db-grants) and the connection depend on it.`,
    },
  ];
}
