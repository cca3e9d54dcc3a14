import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { TerraformStack } from 'cdktf';
import { CLONE_MARK, CloneDatabase, CloneDatabaseProps } from '../../src/constructs/clone-database';
import { markResource } from '../../src/constructs/marks';

/** Small stacks for the clone's construct and guardrail tests: literal props, as a stack without lookups would give them. */

export const SOURCE = 'prod-db';
export const CLONE = 'prod-db-stg-clone';
export const TASKS_GROUP = 'sg-0aaaaaaaaaaaaaaaa';
export const MASK_GROUP = 'sg-0bbbbbbbbbbbbbbbb';

export const CLONE_PROPS: CloneDatabaseProps = {
  identifier: CLONE,
  sourceIdentifier: SOURCE,
  engine: 'aurora-postgresql',
  port: 5432,
  storageEncrypted: true,
  kmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  clientSecurityGroupIds: [TASKS_GROUP],
  maskFile: 'db/mask.sql',
  maskSecurityGroupId: MASK_GROUP,
  databaseName: 'app',
  masterUsername: 'postgres',
};

/** The construct, with changes to its props. */
export function cloneDatabase(stack: TerraformStack, props: Partial<CloneDatabaseProps> = {}): CloneDatabase {
  return new CloneDatabase(stack, 'Clone', { ...CLONE_PROPS, ...props });
}

/**
 * A cluster marked as the kit's clone but written by hand, as a stack built from the raw provider
 * classes might: `identifier` is its cluster_identifier; everything else as CloneDatabase writes it
 * unless `change` says otherwise.
 */
export function handWrittenClone(stack: TerraformStack, identifier: string, change: Record<string, unknown> = {}): RdsCluster {
  const cluster = new RdsCluster(stack, 'cluster', {
    clusterIdentifier: identifier,
    engine: 'aurora-postgresql',
    restoreToPointInTime: { sourceClusterIdentifier: '${data.aws_rds_cluster.production.cluster_identifier}', restoreType: 'copy-on-write', useLatestRestorableTime: true },
    skipFinalSnapshot: true,
    manageMasterUserPassword: true,
    // `change.lifecycle` replaces the lifecycle (an override would merge its lists)
    lifecycle: (change.lifecycle as never) ?? { ignoreChanges: ['restore_to_point_in_time'] },
  });
  for (const [key, value] of Object.entries(change)) if (key !== 'lifecycle') cluster.addOverride(key, value);
  markResource(cluster, CLONE_MARK.clone);
  markResource(cluster, `${CLONE_MARK.sourceOf}${SOURCE}`);
  return cluster;
}

/** An instance marked as the clone's, in the cluster `clusterIdentifier` names. */
export function handWrittenInstance(stack: TerraformStack, clusterIdentifier: string): RdsClusterInstance {
  const instance = new RdsClusterInstance(stack, 'instance', { identifier: `${CLONE}-1`, clusterIdentifier, instanceClass: 'db.t4g.medium', engine: 'aurora-postgresql' });
  markResource(instance, CLONE_MARK.clone);
  return instance;
}
