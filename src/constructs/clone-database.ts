import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { IResolvable, TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Statement } from '../aws/iam';
import { CloneEngine, CLONE_ENGINES, CLONE_IDENTIFIER_MAX, DB_INSTANCE_CLASS, isAcuStep, isDbIdentifier, rdsArn, SERVERLESS_INSTANCE_CLASS, SERVERLESS_V2, SMALLEST_INSTANCE_CLASS } from '../aws/rds';
import { RDS_CLUSTER_TAG, RDS_OWNING_SERVICE_TAG } from '../policy/secrets';
import { ADDRESS } from '../kit/defaults';
import { markResource } from './marks';
import { requireValid } from './validate';

/** Serverless v2 capacity of the clone's instance, in ACUs. */
export interface CloneServerlessCapacity {
  /** The fewest ACUs: 0 (auto-pause, on the engine versions that have it) or 0.5 to 256. */
  readonly minCapacity: number;
  /** The most ACUs: 1 to 256 (128 on older engine versions). */
  readonly maxCapacity: number;
}

export interface CloneDatabaseProps {
  /**
   * The clone's cluster identifier: never the source's (checked here, and by STG-CloneIdentity), 1–61
   * letters, digits and "-" (its instance is `<identifier>-1`). The stack derives `<source>-<stack>-clone` (or `-pr-<n>` for a preview).
   */
  readonly identifier: string;
  /** The source cluster's identifier as the file writes it (a literal), for the checks. */
  readonly sourceIdentifier: string;
  /**
   * What the restore names as its source: best a reference to the production lookup's
   * `cluster_identifier`, so that the plan reads it from the cluster itself.
   * @default - `sourceIdentifier`
   */
  readonly sourceClusterIdentifier?: string;
  /** The source's engine (the restore needs it; it cannot differ from the source's). */
  readonly engine: CloneEngine;
  /** The source's port: a restore otherwise takes the engine's default port. */
  readonly port: number;
  /** The source's encryption, which a copy-on-write clone keeps: `storage_encrypted` of the lookup. */
  readonly storageEncrypted: boolean | IResolvable;
  /**
   * The source's KMS key (`kms_key_id` of the lookup).
   * @default - none (an unencrypted source)
   */
  readonly kmsKeyId?: string;
  /** The production VPC. */
  readonly vpcId: string;
  /** The subnets of the staging tasks: the clone's own subnet group spans them. */
  readonly subnetIds: readonly string[];
  /** The security groups of the clients: the staging tasks' (the only ones the clone admits, but for the masking job's). */
  readonly clientSecurityGroupIds: readonly string[];
  /**
   * A job runs `maskFile` against the clone before the service gets any task (see `maskTarget`).
   * @default - no masking job (the file consents to unmasked data)
   */
  readonly maskFile?: string;
  /**
   * The masking job's security group (`MaskJobSecurityGroup`; a preview's clone admits staging's): the
   * clone admits it on the port, and it gets an egress rule to the clone.
   * @default - none: only the tasks reach the clone
   */
  readonly maskSecurityGroupId?: string;
  /**
   * The file consents to a clone without masking (`allowUnmaskedProductionData`), for the guardrails.
   * @default false
   */
  readonly unmaskedConsented?: boolean;
  /** The database the application uses in the clone (as in production), for the masking job. */
  readonly databaseName: string;
  /** The clone's master user: the source's (a clone keeps its users), for the connection. */
  readonly masterUsername: string;
  /**
   * The class of the clone's one instance.
   * @default - the smallest the engine supports, db.t4g.medium (`SMALLEST_INSTANCE_CLASS`)
   */
  readonly instanceClass?: string;
  /**
   * Serverless v2 instead of `instanceClass`: the instance is `db.serverless`, scaling between these.
   * @default - a provisioned instance of `instanceClass`
   */
  readonly serverless?: CloneServerlessCapacity;
  /**
   * Tags of everything created (a preview's provider adds its own default tags).
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What a masking job needs of the clone, typed: where it is, how to log in, where it may run from, and what to run. */
export interface CloneMaskTarget {
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  /** The writer endpoint, and its port. */
  readonly endpoint: string;
  readonly port: number;
  readonly engine: CloneEngine;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** The master user's secret, managed by RDS: a JSON object with `username` and `password`. */
  readonly secretArn: string;
  /** The VPC and subnets the job runs in (the tasks', which reach the clone's subnet group). */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** The job's own security group (`MaskJobSecurityGroup`): the clone admits it on the port; it may reach the clone and HTTPS (AWS APIs, the source). */
  readonly securityGroupId?: string;
  /** The groups of the tasks, which the clone admits too. */
  readonly clientSecurityGroupIds: readonly string[];
  /** The SQL file in the application repository; undefined when the file consents to unmasked data. */
  readonly maskFile?: string;
  /**
   * The clone's one instance, by the identifier it is created with (`<identifier>-1`, a literal): the
   * source of the "DB instance created" event that starts the masking job.
   */
  readonly instanceIdentifier: string;
}

/** Marks on the clone's resources, for the guardrails (see `constructs/marks.ts`). */
export const CLONE_MARK = {
  /** One of the clone's own resources: the cluster, its instance, its subnet group, its groups. */
  clone: 'database-clone',
  /** `database-clone-of:<source identifier>`, on the cluster: what it must never be. */
  sourceOf: 'database-clone-of:',
  /** A clone served without masking. */
  unmasked: 'database-clone-unmasked',
  /** The file's consent to that (`allowUnmaskedProductionData`). */
  unmaskedConsented: 'database-clone-unmasked-consented',
} as const;

/**
 * A copy-on-write clone of the production Aurora cluster, staging's own to read and write: an
 * `aws_rds_cluster` restored from the source (`restore_type = "copy-on-write"`, latest restorable
 * time), sharing its pages and paying only for those it changes, with one instance (or Serverless v2),
 * its own subnet group on the tasks' subnets and its own security group admitting only the tasks (and
 * the masking job) on the port. The master password is managed by RDS in Secrets Manager. Destroying it
 * leaves no final snapshot and nothing of production: the source is only named, never managed.
 *
 * Terraform pitfalls handled (terraform-provider-aws): a change to `restore_to_point_in_time` would
 * replace the cluster (#32888), so it is ignored after create; `skip_final_snapshot` defaults to false,
 * and destroy then demands a `final_snapshot_identifier`; `engine` is required on the restore path;
 * no monitoring or Performance Insights settings, which can make a restore fail (boto3#4634).
 */
export class CloneDatabase extends Construct {
  public readonly cluster: RdsCluster;
  public readonly instance: RdsClusterInstance;
  public readonly subnetGroup: DbSubnetGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly maskTarget: CloneMaskTarget;

  constructor(scope: Construct, id: string, props: CloneDatabaseProps) {
    super(scope, id);
    const rule = `must be an RDS identifier of at most ${CLONE_IDENTIFIER_MAX} characters (its instance is "<identifier>-1", at most 63): letters, digits and "-", starting with a letter, no "--", not ending in "-"`;
    requireValid(this, 'identifier', props.identifier, (value) => isDbIdentifier(value) && value.length <= CLONE_IDENTIFIER_MAX, rule);
    if (!Token.isUnresolved(props.identifier) && props.identifier.toLowerCase() === props.sourceIdentifier.toLowerCase()) {
      throw new Error(`${this.node.path}: identifier: must not be the source cluster's, ${props.sourceIdentifier}: the clone would be production (got ${JSON.stringify(props.identifier)})`);
    }
    requireValid(this, 'engine', props.engine, (engine) => (CLONE_ENGINES as readonly string[]).includes(engine), 'must be aurora-postgresql or aurora-mysql: only Aurora clusters have copy-on-write clones');
    requireValid(this, 'instanceClass', props.instanceClass, (value) => DB_INSTANCE_CLASS.test(value), 'must be a DB instance class like "db.t4g.medium"');
    if (props.serverless) {
      const { minCapacity, maxCapacity } = props.serverless;
      const acu = (value: number, min: number) => value >= min && value <= SERVERLESS_V2.maxCapacity && isAcuStep(value);
      requireValid(this, 'serverless.minCapacity', minCapacity, (v) => acu(v, SERVERLESS_V2.minCapacity), `must be ${SERVERLESS_V2.minCapacity}–${SERVERLESS_V2.maxCapacity} ACUs in steps of ${SERVERLESS_V2.step}`);
      requireValid(this, 'serverless.maxCapacity', maxCapacity, (v) => acu(v, Math.max(SERVERLESS_V2.smallestMaxCapacity, minCapacity)), `must be ${SERVERLESS_V2.smallestMaxCapacity}–${SERVERLESS_V2.maxCapacity} ACUs in steps of ${SERVERLESS_V2.step}, and at least minCapacity`);
      if (props.instanceClass !== undefined && props.instanceClass !== SERVERLESS_INSTANCE_CLASS) {
        throw new Error(`${this.node.path}: instanceClass: must be left out with serverless (the instance is ${SERVERLESS_INSTANCE_CLASS}) (got ${JSON.stringify(props.instanceClass)})`);
      }
    }
    if (!Token.isUnresolved(props.clientSecurityGroupIds) && props.clientSecurityGroupIds.length === 0) throw new Error(`${this.node.path}: clientSecurityGroupIds: must name the tasks' groups: the clone admits only them`);
    const tags = props.tags ? { ...props.tags } : undefined;
    const described = `Copy-on-write clone ${props.identifier} of ${props.sourceIdentifier}`;

    this.subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: props.identifier,
      description: `${described}: the staging tasks' subnets`,
      subnetIds: [...props.subnetIds],
      tags,
    });
    this.subnetGroup.overrideLogicalId(ADDRESS.databaseClone);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: props.identifier,
      description: `${described}: in from the staging tasks${props.maskSecurityGroupId !== undefined ? ' and the masking job' : ''} only`,
      vpcId: props.vpcId,
      tags,
    });
    this.securityGroup.overrideLogicalId(ADDRESS.databaseClone);

    // the masking job's own group (MaskJobSecurityGroup), out to this clone only on the port
    const maskGroupId = props.maskSecurityGroupId;
    if (maskGroupId !== undefined) {
      const toClone = new VpcSecurityGroupEgressRule(this, 'MaskToClone', {
        securityGroupId: maskGroupId,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: props.port,
        toPort: props.port,
        description: `The masking job to ${props.identifier}`,
        tags,
      });
      toClone.overrideLogicalId(`${ADDRESS.databaseCloneMask}_to_clone`);
    }
    const ingress = (id: string, address: string, source: string, description: string, forEach?: TerraformIterator) => {
      const rule = new VpcSecurityGroupIngressRule(this, id, {
        forEach,
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: source,
        ipProtocol: 'tcp',
        fromPort: props.port,
        toPort: props.port,
        description,
        tags,
      });
      rule.overrideLogicalId(address);
    };
    if (Token.isUnresolved(props.clientSecurityGroupIds)) {
      // a list known at plan (a preview reads staging's groups from its state): one rule per group
      const groups = TerraformIterator.fromList([...props.clientSecurityGroupIds]);
      ingress('FromTasks', `${ADDRESS.databaseClone}_from_tasks`, groups.value, 'Staging tasks to the clone', groups);
    } else {
      props.clientSecurityGroupIds.forEach((source, index) => ingress(`From${index + 1}`, `${ADDRESS.databaseClone}_from_tasks${index === 0 ? '' : `_${index + 1}`}`, source, 'Staging tasks to the clone'));
    }
    if (maskGroupId !== undefined) ingress('FromMask', `${ADDRESS.databaseClone}_from_mask`, maskGroupId, 'The masking job to the clone');

    this.cluster = new RdsCluster(this, 'Cluster', {
      clusterIdentifier: props.identifier,
      engine: props.engine,
      restoreToPointInTime: {
        sourceClusterIdentifier: props.sourceClusterIdentifier ?? props.sourceIdentifier,
        restoreType: 'copy-on-write',
        useLatestRestorableTime: true,
      },
      port: props.port,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      storageEncrypted: props.storageEncrypted,
      kmsKeyId: props.kmsKeyId,
      manageMasterUserPassword: true,
      skipFinalSnapshot: true,
      deletionProtection: false,
      // a clone is refreshed, not restored: the fewest days of backups RDS allows
      backupRetentionPeriod: 1,
      copyTagsToSnapshot: true,
      applyImmediately: true,
      serverlessv2ScalingConfiguration: props.serverless ? { minCapacity: props.serverless.minCapacity, maxCapacity: props.serverless.maxCapacity } : undefined,
      tags,
      // provider #32888: a change here would replace the clone; `npm run refresh-data` replaces it on purpose
      lifecycle: { ignoreChanges: ['restore_to_point_in_time'] },
    });
    this.cluster.overrideLogicalId(ADDRESS.databaseClone);

    const instanceClass = props.serverless ? SERVERLESS_INSTANCE_CLASS : props.instanceClass ?? SMALLEST_INSTANCE_CLASS[props.engine];
    const instanceIdentifier = `${props.identifier}-1`;
    this.instance = new RdsClusterInstance(this, 'Instance', {
      identifier: instanceIdentifier,
      clusterIdentifier: this.cluster.id,
      instanceClass,
      engine: props.engine,
      publiclyAccessible: false,
      applyImmediately: true,
      tags,
    });
    this.instance.overrideLogicalId(ADDRESS.databaseClone);

    for (const resource of [this.cluster, this.instance, this.subnetGroup, this.securityGroup]) markResource(resource, CLONE_MARK.clone);
    markResource(this.cluster, `${CLONE_MARK.sourceOf}${props.sourceIdentifier}`);
    if (props.maskFile === undefined) {
      markResource(this.cluster, CLONE_MARK.unmasked);
      if (props.unmaskedConsented) markResource(this.cluster, CLONE_MARK.unmaskedConsented);
    }

    this.maskTarget = {
      clusterIdentifier: this.cluster.clusterIdentifier,
      clusterArn: this.cluster.arn,
      endpoint: this.cluster.endpoint,
      port: props.port,
      engine: props.engine,
      databaseName: props.databaseName,
      masterUsername: props.masterUsername,
      secretArn: this.secretArn,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      securityGroupId: maskGroupId,
      clientSecurityGroupIds: props.clientSecurityGroupIds,
      maskFile: props.maskFile,
      instanceIdentifier,
    };
  }

  /** The master user's secret, which RDS manages: `master_user_secret[0].secret_arn`. */
  public get secretArn(): string {
    return this.cluster.masterUserSecret.get(0).secretArn;
  }

  /** The password, as an ECS secret reference: the secret's `password` JSON key. */
  public get passwordReference(): string {
    return `${this.secretArn}:password::`;
  }

  /** The writer endpoint. */
  public get endpoint(): string {
    return this.cluster.endpoint;
  }
}

/** Reading exactly one clone's master secret (its ARN, known at plan). */
export function cloneSecretStatement(secretArn: string): Statement {
  return { Sid: 'ReadCloneSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secretArn] };
}

/**
 * Reading the master secrets of the previews' clones, which are made after this role: RDS names them
 * `rds!cluster-<uuid>` and tags each with its cluster's ARN (AWS managed policy
 * AmazonRDSServiceRolePolicy), so the grant is narrowed to the clusters `clusterPattern` names.
 */
export function previewCloneSecretsStatement(partition: string, region: string, account: string, clusterPattern: string): Statement {
  return {
    Sid: 'ReadPreviewCloneSecrets',
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue'],
    Resource: [`arn:${partition}:secretsmanager:${region}:${account}:secret:rds!cluster-*`],
    Condition: {
      StringEquals: { [RDS_OWNING_SERVICE_TAG]: 'rds' },
      StringLike: { [RDS_CLUSTER_TAG]: rdsArn(partition, region, account, 'cluster', clusterPattern) },
    },
  };
}
